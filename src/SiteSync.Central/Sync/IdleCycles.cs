using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SiteSync.Central.Sites;

namespace SiteSync.Central.Sync;

/// <summary>Lets a site's idle sync cycles pass without a database write, at most <see cref="SyncOptions.IdleWriteInterval"/>
/// apart (docs/decisions.md "Idle cycles write at most every 30 seconds"). A cycle is quiet when the site row, as authentication
/// read it, shows the previous cycle finished (no cycle start, no counts) less than the interval ago and in the same UTC hour:
/// such a cycle's start and end are kept here, in this node's memory, and the next cycle that writes anyway (the first after
/// the interval, or one that moved records) adds the quiet ones to the site's idle log line.</summary>
/// <remarks>What a node forgets when it stops is at most one interval of idle cycles per site: a count in a log line, never a
/// record, a "last synced" older than the interval, or a failure (refusals, errors and cycles that moved records always write).</remarks>
public sealed class IdleCycles(IOptions<SyncOptions> options)
{
    private readonly ConcurrentDictionary<int, DateTimeOffset> _started = new();
    private readonly ConcurrentDictionary<int, Pending> _pending = new();

    /// <summary>Quiet cycles of a site not yet in its log: how many, the end of the first and of the last, and how long the last
    /// took (when this node saw it begin).</summary>
    public readonly record struct Pending(int Count, DateTimeOffset First, DateTimeOffset Last, TimeSpan? LastDuration);

    /// <summary>Whether a cycle of this site may start and end without writing (see the class remarks).</summary>
    public bool IsQuiet(SiteEntity site, DateTimeOffset now) =>
        site is { CycleStartedAt: null, CyclePushed: 0, CyclePulledCentral: 0, CyclePulledQueue: 0, LastSyncedAt: { } synced }
        // An error since the last written sync (fleet health says failing) is cleared by the next sync at once.
        && (site.LastErrorAt is not { } error || error <= synced)
        && now >= synced && now - synced < options.Value.IdleWriteInterval
        && synced.UtcTicks / TimeSpan.TicksPerHour == now.UtcTicks / TimeSpan.TicksPerHour;

    /// <summary>A quiet cycle began (its start was not written).</summary>
    public void Started(int siteId, DateTimeOffset at) => _started[siteId] = at;

    /// <summary>The start of the site's current cycle if this node saw it begin without writing it, and forgets it.</summary>
    public DateTimeOffset? TakeStart(int siteId) => _started.TryRemove(siteId, out var at) ? at : null;

    /// <summary>A quiet cycle ended without writing.</summary>
    public void Ended(int siteId, DateTimeOffset at)
    {
        TimeSpan? duration = _started.TryRemove(siteId, out var started) && started <= at ? at - started : null;
        _pending.AddOrUpdate(siteId, _ => new Pending(1, at, at, duration), (_, p) => p with { Count = p.Count + 1, Last = at, LastDuration = duration });
    }

    /// <summary>The quiet cycles not yet logged, and forgets them (the caller logs them).</summary>
    public Pending? TakePending(int siteId) => _pending.TryRemove(siteId, out var pending) ? pending : null;
}
