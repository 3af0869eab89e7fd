namespace SiteSync.Remote.Sync;

/// <summary>Adapts the records per request to the link (rule 23): doubles after a full request that completed fast, halves
/// after a slow request, a timeout, a failure or a 413, always within [<see cref="Min"/>, <see cref="Max"/>].</summary>
/// <remarks>Doubling and halving converge in a few requests on any link, like TCP's window; growing only after a full
/// request avoids growing on answers that were fast because they were small.</remarks>
public sealed class RequestSizeController
{
    /// <summary>The smallest bound a site may set.</summary>
    public const int AbsoluteMin = 1;

    /// <summary>The default lower bound.</summary>
    public const int DefaultMin = 10;

    /// <summary>The default upper bound: central's own largest page and batch (<c>SiteSync:Sync:MaxPullLimit</c>,
    /// <c>MaxPushBatchRecords</c>). A fresh site's initialisation then takes a fifth of the round trips it took at 1,000; a
    /// slow link never gets there (the size grows only after fast full requests).</summary>
    public const int DefaultMax = 5000;

    /// <summary>The size a new site starts with.</summary>
    public const int DefaultInitial = 100;

    /// <summary>A full request faster than this grows the size.</summary>
    public static readonly TimeSpan FastRequest = TimeSpan.FromSeconds(2);

    /// <summary>A request slower than this shrinks the size even though it succeeded.</summary>
    public static readonly TimeSpan SlowRequest = TimeSpan.FromSeconds(10);

    /// <summary>Creates a controller.</summary>
    /// <param name="current">The remembered size; clamped into the bounds.</param>
    /// <param name="min">The lower bound, at least <see cref="AbsoluteMin"/>.</param>
    /// <param name="max">The upper bound, at least <paramref name="min"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are out of range.</exception>
    public RequestSizeController(int current, int min = DefaultMin, int max = DefaultMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, AbsoluteMin);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        Min = min;
        Max = max;
        Current = Math.Clamp(current, min, max);
    }

    /// <summary>The lower bound.</summary>
    public int Min { get; }

    /// <summary>The upper bound.</summary>
    public int Max { get; }

    /// <summary>Records per request now.</summary>
    public int Current { get; private set; }

    /// <summary>Records a request that succeeded.</summary>
    /// <param name="elapsed">How long the request took.</param>
    /// <param name="records">How many records it carried.</param>
    /// <returns>Whether <see cref="Current"/> changed.</returns>
    public bool OnSuccess(TimeSpan elapsed, int records)
    {
        if (elapsed > SlowRequest)
        {
            return Shrink();
        }

        if (elapsed < FastRequest && records >= Current && Current < Max)
        {
            Current = (int)Math.Min((long)Current * 2, Max);
            return true;
        }

        return false;
    }

    /// <summary>Records a timeout, a transport failure, a 5xx or a 413.</summary>
    /// <returns>Whether <see cref="Current"/> changed.</returns>
    public bool OnFailure() => Shrink();

    private bool Shrink()
    {
        var next = Math.Max(Current / 2, Min);
        var changed = next != Current;
        Current = next;
        return changed;
    }
}
