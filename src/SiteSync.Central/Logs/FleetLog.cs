using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Admin;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Logs;

/// <summary>Which log lines to show: a time range (start inclusive, end exclusive) and optional level, event, site and text.</summary>
public sealed record LogFilter
{
    public const int MaxLimit = 1000;

    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset Until { get; init; }
    public string? Level { get; init; }
    public string? Event { get; init; }

    /// <summary>A site id, or text matched against site names; null for every site.</summary>
    public string? Site { get; init; }

    /// <summary>Matched against message, event and user.</summary>
    public string? Text { get; init; }

    /// <summary>Known event names, for pickers (any event name may still be asked for).</summary>
    public static IReadOnlyList<string> KnownEvents { get; } =
        [.. typeof(SiteLogEvents).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];

    /// <summary>Reads the filter's query parameters. <paramref name="from"/> and <paramref name="to"/> are whole days in
    /// <paramref name="zone"/> (both today by default), so a day means the same hours as the times shown next to it.</summary>
    public static AdminResult<LogFilter> Parse(
        string? from, string? to, string? level, string? logEvent, string? site, string? text, TimeZoneInfo zone, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (!TryDay(from, today, out var fromDay))
        {
            return AdminResult<LogFilter>.Invalid("from", "from must be a date written yyyy-MM-dd.");
        }
        if (!TryDay(to, today, out var toDay))
        {
            return AdminResult<LogFilter>.Invalid("to", "to must be a date written yyyy-MM-dd.");
        }
        if (toDay < fromDay)
        {
            return AdminResult<LogFilter>.Invalid("to", $"to ({toDay:yyyy-MM-dd}) is before from ({fromDay:yyyy-MM-dd}).");
        }
        if (level is not (null or "" or SiteLogLevels.Info or SiteLogLevels.Warning or SiteLogLevels.Error))
        {
            return AdminResult<LogFilter>.Invalid("level", "level must be info, warning or error.");
        }
        if (logEvent is { Length: > 60 } || (logEvent is { Length: > 0 } && !logEvent.All(c => c is (>= 'a' and <= 'z') or '_')))
        {
            return AdminResult<LogFilter>.Invalid("event", "event is a site-log event name such as auth_failed.");
        }
        if (site is { Length: > 200 } || text is { Length: > 200 })
        {
            return AdminResult<LogFilter>.Invalid(site is { Length: > 200 } ? "site" : "search", "Filters have at most 200 characters.");
        }
        return AdminResult<LogFilter>.Ok(new LogFilter
        {
            From = ZonedDays.Start(fromDay, zone),
            Until = ZonedDays.Start(toDay.AddDays(1), zone),
            Level = string.IsNullOrEmpty(level) ? null : level,
            Event = string.IsNullOrEmpty(logEvent) ? null : logEvent,
            Site = string.IsNullOrWhiteSpace(site) ? null : site.Trim(),
            Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
        });
    }

    private static bool TryDay(string? text, DateOnly today, out DateOnly day)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            day = today;
            return true;
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}

/// <summary>Whole days in a time zone as instants.</summary>
public static class ZonedDays
{
    /// <summary>The first instant of <paramref name="day"/> in <paramref name="zone"/> (past a daylight-saving gap at midnight).</summary>
    public static DateTimeOffset Start(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}

/// <summary>The site log read across sites (the fleet log) or for one site, newest first, a page at a time with the total.</summary>
public sealed class FleetLog(SiteSyncDbContext db)
{
    public async Task<FleetLogPage> QueryAsync(LogFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = db.SiteLogs.AsNoTracking().Where(l => l.At >= filter.From && l.At < filter.Until);
        if (filter.Level is { } level)
        {
            query = query.Where(l => l.Level == level);
        }
        if (filter.Event is { } logEvent)
        {
            query = query.Where(l => l.Event == logEvent);
        }
        if (filter.Site is { } site)
        {
            if (int.TryParse(site, NumberStyles.None, CultureInfo.InvariantCulture, out var siteId))
            {
                query = query.Where(l => l.SiteId == siteId);
            }
            else
            {
                var key = site.ToLowerInvariant();
                var ids = await db.Sites.AsNoTracking().Where(s => s.NameKey.Contains(key)).Select(s => s.Id)
                    .ToListAsync(cancellationToken);
                query = query.Where(l => ids.Contains(l.SiteId));
            }
        }
        if (filter.Text is { } text)
        {
            // lower() on both sides: case-insensitive on both engines (for non-ASCII letters only PostgreSQL folds case).
            var term = text.ToLowerInvariant();
#pragma warning disable CA1862 // EF translates the one-argument Contains to SQL; the overload with a StringComparison it does not.
            query = query.Where(l => l.Message.ToLower().Contains(term) || l.Event.Contains(term) || (l.User != null && l.User.ToLower().Contains(term)));
#pragma warning restore CA1862
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(l => l.At).ThenByDescending(l => l.Id).Skip(offset).Take(limit)
            .Select(l => new { l.SiteId, l.At, l.Level, l.Event, l.Message, l.User })
            .ToListAsync(cancellationToken);
        var siteIds = rows.Select(r => r.SiteId).Distinct().ToList();
        var names = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return new FleetLogPage(total, offset, limit,
            [.. rows.Select(r => new FleetLogEntry(r.SiteId, names.GetValueOrDefault(r.SiteId), r.At, r.Level, r.Event, r.Message, r.User))]);
    }
}
