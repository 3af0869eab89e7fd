using System.Globalization;
using System.Text;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Sites;

/// <summary>The site list as CSV (RFC 4180), one row per site, times as ISO-8601 UTC so a spreadsheet in any zone reads them
/// the same.</summary>
public static class SiteCsv
{
    private static readonly string[] Header =
    [
        "id", "code", "name", "stores", "deviceType", "appVersion", "lastSyncedAtUtc", "lastConnectedAtUtc", "status", "health",
        "healthReason", "lastErrorAtUtc", "lastErrorEvent", "lastError",
    ];

    public static string Write(IEnumerable<Site> sites)
    {
        var csv = new StringBuilder();
        Row(csv, Header);
        foreach (var site in sites)
        {
            Row(csv,
            [
                site.Id.ToString(CultureInfo.InvariantCulture), site.Code, site.Name, string.Join("; ", site.Stores.Select(s => $"{s.Name} ({s.Code})")),
                site.DeviceType, site.AppVersion, Time(site.LastSyncedAt), Time(site.LastConnectedAt), site.Status, site.Health,
                site.HealthReason, Time(site.LastError?.At), site.LastError?.Event, site.LastError?.Message,
            ]);
        }
        return csv.ToString();
    }

    private static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder csv, string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }
            csv.Append(Cell(cells[i] ?? ""));
        }
        csv.Append("\r\n");
    }

    private static string Cell(string value)
    {
        // A cell a spreadsheet would run as a formula (a site name is free text) is kept as text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
