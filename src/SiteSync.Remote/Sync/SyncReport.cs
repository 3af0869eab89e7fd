namespace SiteSync.Remote.Sync;

/// <summary>What one sync cycle did.</summary>
/// <param name="Outcome">One of <see cref="SyncOutcomes"/>: <c>ok</c> or <c>stopped</c> (failures throw).</param>
/// <param name="Pushed">Local changes central accepted.</param>
/// <param name="PulledCentral">Change-log records pulled.</param>
/// <param name="PulledQueue">Queue records pulled and acknowledged.</param>
/// <param name="Integrated">Records applied to the local database.</param>
/// <param name="UnknownTables">Tables not in the catalog among the integrated records (kept, and reported here).</param>
/// <param name="RequestSize">Records per request at the end of the cycle.</param>
/// <param name="ActiveStoreIds">Stores active on this site after the cycle.</param>
/// <param name="Duration">How long the cycle took.</param>
public sealed record SyncReport(
    string Outcome,
    int Pushed,
    int PulledCentral,
    int PulledQueue,
    int Integrated,
    IReadOnlyList<string> UnknownTables,
    int RequestSize,
    IReadOnlyList<string> ActiveStoreIds,
    TimeSpan Duration);

/// <summary>Progress of a cycle, reported after every batch.</summary>
/// <param name="Phase">One of <see cref="SyncPhases"/>.</param>
/// <param name="Done">Records done in this phase.</param>
/// <param name="Total">Records expected in this phase, when known.</param>
public sealed record SyncProgress(string Phase, long Done, long? Total);

/// <summary>The phases of a cycle, in order.</summary>
public static class SyncPhases
{
    /// <summary>Asking central for the site's identity.</summary>
    public const string SiteInfo = "site";

    /// <summary>Asking central to fill the site's queue, and waiting for it.</summary>
    public const string Initialise = "initialise";

    /// <summary>Pushing local changes.</summary>
    public const string Push = "push";

    /// <summary>Waiting for central to integrate the push.</summary>
    public const string WaitIntegration = "wait";

    /// <summary>Pulling the central change log.</summary>
    public const string PullCentral = "pull-central";

    /// <summary>Pulling the site's queue.</summary>
    public const string PullQueue = "pull-queue";

    /// <summary>Applying pulled records locally.</summary>
    public const string Integrate = "integrate";
}

/// <summary>Options of one cycle.</summary>
public sealed class SyncCycleOptions
{
    /// <summary>Receives progress after every batch; null for none.</summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>When cancelled, the cycle ends cleanly after the batch in flight (outcome <c>stopped</c>). The
    /// <see cref="CancellationToken"/> passed to the method instead aborts at once.</summary>
    public CancellationToken StopAfterBatch { get; init; }
}
