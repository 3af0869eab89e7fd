using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Logs;

/// <summary>Event names of the site log (rule 19): stable, so support staff can filter on them.</summary>
public static class SiteLogEvents
{
    public const string SiteCreated = "site_created";
    public const string SiteDeleted = "site_deleted";
    public const string SiteEdited = "site_edited";
    public const string SiteRenamed = "site_renamed";
    public const string PasswordChanged = "password_changed";
    public const string StoreMoved = "store_moved";
    public const string AuthFailed = "auth_failed";
    public const string Blocked = "blocked";
    public const string Unblocked = "unblocked";
    public const string HardwareIdClaimed = "hardware_id_claimed";
    public const string HardwareIdMismatch = "hardware_id_mismatch";
    public const string HardwareIdReset = "hardware_id_reset";
    public const string Initialised = "initialised";
    public const string SyncCompleted = "sync_completed";
    public const string Integrated = "integrated";
    public const string RecordRejected = "record_rejected";
    public const string UnknownTable = "unknown_table";
    public const string IntegrityChecked = "integrity_checked";
    public const string RestoreDetected = "restore_detected";
    public const string TransferWithoutVisibility = "transfer_without_visibility";
    public const string PatientLinked = "patient_linked";
}

public static class SiteLogLevels
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Error = "error";
}

/// <summary>What one retention pass deleted, and in how many statements.</summary>
public readonly record struct SiteLogPruneResult(int Deleted, int Batches);

/// <summary>Writes and reads the site log. Messages hold identifiers and counts, never a password or hash.</summary>
public sealed class SiteLog(SiteSyncDbContext db, TimeProvider time)
{
    /// <summary>Adds a line to the context; it is saved with the caller's <c>SaveChanges</c>, inside the caller's transaction.</summary>
    public void Add(int siteId, string level, string logEvent, string message, string? user = null) =>
        db.SiteLogs.Add(Line(siteId, time.GetUtcNow(), level, logEvent, message, user, idleCycles: null));

    /// <summary>Adds a line and saves it at once (for outcomes, such as a refused request, that have no transaction of their own).</summary>
    public async Task WriteAsync(int siteId, string level, string logEvent, string message, CancellationToken cancellationToken)
    {
        Add(siteId, level, logEvent, message);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Logs a completed sync cycle (rule 19) so that the log stays readable, and small, at fleet scale: a cycle that
    /// moved records, or during which anything else was logged for the site (a rejected record, an unknown table, a claimed
    /// hardware id), keeps a line of its own. An idle cycle instead updates the site's latest line when that line already
    /// sums up idle cycles of the same UTC hour. A site syncing every 5 minutes with nothing to do thus adds one line an hour
    /// (not 12), and lines stay in order: anything logged between two idle cycles starts a new idle line after it.</summary>
    /// <param name="siteId">The site.</param>
    /// <param name="started">When the cycle began, if known (its duration is then given).</param>
    /// <param name="since">When the cycle began, or an earlier moment (the end of the site's previous cycle): anything logged for
    /// the site since then counts as logged during the cycle.</param>
    /// <param name="finished">Now: the cycle's end.</param>
    /// <param name="pushed">Records of the cycle's push that central accepted.</param>
    /// <param name="pulledCentral">Change-log records it pulled.</param>
    /// <param name="pulledQueue">Queued records it acknowledged.</param>
    /// <param name="quiet">Idle cycles before this one that ended without writing (<see cref="Sync.IdleCycles"/>): they join the
    /// idle line as if each had been logged when it ended.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task WriteCycleAsync(
        int siteId, DateTimeOffset? started, DateTimeOffset since, DateTimeOffset finished, int pushed, int pulledCentral, int pulledQueue,
        Sync.IdleCycles.Pending? quiet, CancellationToken cancellationToken)
    {
        var duration = started is { } begun && begun <= finished ? finished - begun : (TimeSpan?)null;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Sync completed{(duration is { } d ? $" in {d.TotalSeconds:0.0} s" : "")}: pushed {pushed}, pulled {pulledCentral} central and {pulledQueue} queued record(s).");
        var moved = pushed + pulledCentral + pulledQueue > 0;
        if (moved && quiet is null)
        {
            db.SiteLogs.Add(Line(siteId, finished, SiteLogLevels.Info, SiteLogEvents.SyncCompleted, message, null, idleCycles: null));
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var latest = await db.SiteLogs.AsNoTracking().Where(l => l.SiteId == siteId)
            .OrderByDescending(l => l.At).ThenByDescending(l => l.Id)
            .Select(l => new IdleLine(l.Id, l.At, l.Event, l.IdleCycles)).FirstOrDefaultAsync(cancellationToken);
        var loggedDuringCycle = latest is not null && latest.At >= since;
        // The idle cycles to add to the idle line: the quiet ones before this cycle, then this one if it is idle too.
        var thisIdle = !moved && !loggedDuringCycle;
        var count = (quiet?.Count ?? 0) + (thisIdle ? 1 : 0);
        var (first, last, lastDuration) = thisIdle || quiet is not { } q ? (quiet?.First ?? finished, finished, duration) : (q.First, q.Last, q.LastDuration);
        // Quiet cycles ended before anything logged during this cycle: the idle line they join is the latest line before it.
        var idleLine = loggedDuringCycle && quiet is not null
            ? await db.SiteLogs.AsNoTracking().Where(l => l.SiteId == siteId && l.At < since)
                .OrderByDescending(l => l.At).ThenByDescending(l => l.Id)
                .Select(l => new IdleLine(l.Id, l.At, l.Event, l.IdleCycles)).FirstOrDefaultAsync(cancellationToken)
            : latest;
        if (count > 0)
        {
            if (idleLine is { Event: SiteLogEvents.SyncCompleted, IdleCycles: { } cycles } && SameHour(idleLine.At, last))
            {
                // Conditional on the count read above: a concurrent update of the same line makes this one insert instead of
                // losing a cycle.
                var summary = IdleSummary(cycles + count, idleLine.At, last, lastDuration);
                var updated = await db.SiteLogs.Where(l => l.Id == idleLine.Id && l.IdleCycles == cycles).ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.IdleCycles, cycles + count)
                    .SetProperty(l => l.Message, summary), cancellationToken);
                count = updated == 1 ? 0 : count;
            }
            if (count > 0)
            {
                var text = count == 1 && thisIdle ? message : IdleSummary(count, first, last, lastDuration);
                db.SiteLogs.Add(Line(siteId, first, SiteLogLevels.Info, SiteLogEvents.SyncCompleted, text, null, idleCycles: count));
            }
        }
        if (!thisIdle)
        {
            db.SiteLogs.Add(Line(siteId, finished, SiteLogLevels.Info, SiteLogEvents.SyncCompleted, message, null, idleCycles: null));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record IdleLine(long Id, DateTimeOffset At, string Event, int? IdleCycles);

    private static string IdleSummary(int cycles, DateTimeOffset first, DateTimeOffset last, TimeSpan? lastDuration) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Sync completed {cycles} times with nothing to move, {first.UtcDateTime:HH:mm:ss} to {last.UtcDateTime:HH:mm:ss} UTC")
        + (lastDuration is { } d ? string.Create(CultureInfo.InvariantCulture, $"; the last in {d.TotalSeconds:0.0} s.") : ".");

    /// <summary>Deletes the lines older than <paramref name="cutoff"/>, <paramref name="batchSize"/> at a time, each batch its
    /// own short statement, so sync requests that write the log never wait long behind a large first pass.</summary>
    public async Task<SiteLogPruneResult> PruneAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var (deleted, batches) = (0, 0);
        while (true)
        {
            var count = await db.SiteLogs.Where(l => l.At < cutoff).OrderBy(l => l.At).Take(batchSize).ExecuteDeleteAsync(cancellationToken);
            deleted += count;
            batches++;
            if (count < batchSize)
            {
                return new SiteLogPruneResult(deleted, batches);
            }
        }
    }

    /// <summary>The site's log between <paramref name="from"/> and <paramref name="to"/> (inclusive), newest first.</summary>
    public async Task<IReadOnlyList<LogEntry>> QueryAsync(
        int siteId, DateTimeOffset from, DateTimeOffset to, string? level, string? search, int limit, CancellationToken cancellationToken)
    {
        var query = db.SiteLogs.AsNoTracking().Where(l => l.SiteId == siteId && l.At >= from && l.At <= to);
        if (!string.IsNullOrWhiteSpace(level))
        {
            query = query.Where(l => l.Level == level);
        }
        if (!string.IsNullOrWhiteSpace(search) && System.Text.Ascii.IsValid(search))
        {
            // Narrowed in the database, on the site and date index, so that searching a year of history does not read the year:
            // LIKE (SQLite) and ILIKE fold ASCII case as OrdinalIgnoreCase does (but for the dotless ı and the long ſ, which .NET
            // also folds to I and S). The exact match below stays the judge; non-ASCII text is matched there only.
            var pattern = "%" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = db.Provider == StorageProvider.Postgres
                ? query.Where(l => EF.Functions.ILike(l.Message, pattern, "\\") || EF.Functions.ILike(l.Event, pattern, "\\")
                    || EF.Functions.ILike(l.User!, pattern, "\\"))
                : query.Where(l => EF.Functions.Like(l.Message, pattern, "\\") || EF.Functions.Like(l.Event, pattern, "\\")
                    || EF.Functions.Like(l.User!, pattern, "\\"));
        }
        var rows = await query.OrderByDescending(l => l.At).ThenByDescending(l => l.Id).Take(search is null ? limit : 20_000)
            .ToListAsync(cancellationToken);
        IEnumerable<SiteLogEntity> matching = rows;
        if (!string.IsNullOrWhiteSpace(search))
        {
            // .NET's case rules, whatever the engine's.
            matching = rows.Where(l => l.Message.Contains(search, StringComparison.OrdinalIgnoreCase)
                || l.Event.Contains(search, StringComparison.OrdinalIgnoreCase)
                || (l.User?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false));
        }
        return [.. matching.Take(limit).Select(l => new LogEntry(l.At, l.Level, l.Event, l.Message, l.User))];
    }

    private static bool SameHour(DateTimeOffset a, DateTimeOffset b) =>
        a.UtcTicks / TimeSpan.TicksPerHour == b.UtcTicks / TimeSpan.TicksPerHour;

    private static SiteLogEntity Line(
        int siteId, DateTimeOffset at, string level, string logEvent, string message, string? user, int? idleCycles) => new()
    {
        SiteId = siteId,
        At = at,
        Level = level,
        Event = logEvent,
        // Messages quote what remotes sent (names, ids): made storable here, once, for every caller.
        Message = StorableText.ForDisplay(message, 2000),
        User = user is null ? null : StorableText.ForDisplay(user, 200),
        IdleCycles = idleCycles,
    };
}
