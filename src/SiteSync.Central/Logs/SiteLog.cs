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
}

public static class SiteLogLevels
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Error = "error";
}

/// <summary>Writes and reads the site log. Messages hold identifiers and counts, never a password or hash.</summary>
public sealed class SiteLog(SiteSyncDbContext db, TimeProvider time)
{
    /// <summary>Adds a line to the context; it is saved with the caller's <c>SaveChanges</c>, inside the caller's transaction.</summary>
    public void Add(int siteId, string level, string logEvent, string message, string? user = null) =>
        db.SiteLogs.Add(new SiteLogEntity
        {
            SiteId = siteId,
            At = time.GetUtcNow(),
            Level = level,
            Event = logEvent,
            // Messages quote what remotes sent (names, ids): made storable here, once, for every caller.
            Message = StorableText.ForDisplay(message, 2000),
            User = user is null ? null : StorableText.ForDisplay(user, 200),
        });

    /// <summary>Adds a line and saves it at once (for outcomes, such as a refused request, that have no transaction of their own).</summary>
    public async Task WriteAsync(int siteId, string level, string logEvent, string message, CancellationToken cancellationToken)
    {
        Add(siteId, level, logEvent, message);
        await db.SaveChangesAsync(cancellationToken);
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
        var rows = await query.OrderByDescending(l => l.At).ThenByDescending(l => l.Id).Take(search is null ? limit : 20_000)
            .ToListAsync(cancellationToken);
        IEnumerable<SiteLogEntity> matching = rows;
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Filtered here rather than with LIKE: case-insensitive matching differs between the engines.
            matching = rows.Where(l => l.Message.Contains(search, StringComparison.OrdinalIgnoreCase)
                || l.Event.Contains(search, StringComparison.OrdinalIgnoreCase)
                || (l.User?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false));
        }
        return [.. matching.Take(limit).Select(l => new LogEntry(l.At, l.Level, l.Event, l.Message, l.User))];
    }
}
