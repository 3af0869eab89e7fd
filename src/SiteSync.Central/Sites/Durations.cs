using System.Globalization;

namespace SiteSync.Central.Sites;

/// <summary>Short durations for people: "45 s", "12 min", "5 h", "3 d".</summary>
public static class Durations
{
    public static string Brief(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalMinutes < 1 ? Format($"{(int)span.TotalSeconds} s")
            : span.TotalHours < 1 ? Format($"{(int)span.TotalMinutes} min")
            : span.TotalDays < 2 ? Format($"{(int)span.TotalHours} h")
            : Format($"{(int)span.TotalDays} d");
    }

    /// <summary>"3 d ago", or "just now" under a minute.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) =>
        now - at < TimeSpan.FromMinutes(1) ? "just now" : $"{Brief(now - at)} ago";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
