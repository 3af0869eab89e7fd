using System.Globalization;

namespace SiteSync.Central.Admin.Ui;

/// <summary>The time zone the UI shows times in, and reads dates in: the viewer's browser zone, which admin.js keeps in the
/// <see cref="CookieName"/> cookie; UTC when there is none (no script yet, or an unknown zone). Every time is written with its UTC
/// offset and every date filter says its zone, so a day on screen and a day in a filter are the same hours.</summary>
public sealed class ViewerClock(IHttpContextAccessor accessor, TimeProvider time)
{
    public const string CookieName = "sitesync.tz";

    private TimeZoneInfo? _zone;

    public TimeZoneInfo Zone => _zone ??= ReadZone(accessor.HttpContext?.Request.Cookies[CookieName]);

    /// <summary>The zone's name, e.g. <c>Europe/Berlin</c> or <c>UTC</c>.</summary>
    public string ZoneName => Zone.Id;

    public DateTimeOffset Now => time.GetUtcNow();

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, Zone).DateTime);

    /// <summary><c>2026-11-23 14:03:22 UTC+01:00</c>.</summary>
    public string Format(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + Offset(local.Offset);
    }

    /// <summary><c>2026-11-23 14:03:22 UTC+01:00 (Europe/Berlin)</c>, for a tooltip.</summary>
    public string FormatLong(DateTimeOffset at) => $"{Format(at)} ({ZoneName})";

    public static string Offset(TimeSpan offset) =>
        offset == TimeSpan.Zero
            ? "UTC"
            : "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static TimeZoneInfo ReadZone(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
        {
            return TimeZoneInfo.Utc;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}
