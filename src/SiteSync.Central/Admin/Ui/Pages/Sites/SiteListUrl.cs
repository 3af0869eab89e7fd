using System.Globalization;
using System.Text;
using SiteSync.Central.Sites;

namespace SiteSync.Central.Admin.Ui.Pages.Sites;

/// <summary>The site list's state as query parameters: every filter, order and page is a URL (bookmarkable, and working
/// without script). Defaults are left out, so the plain list is <c>/</c>.</summary>
public sealed record SiteListUrl
{
    public const int DefaultSize = 50;
    public static readonly IReadOnlyList<int> Sizes = [25, 50, 100, 200];

    public string? Search { get; init; }
    public string? Health { get; init; }
    public int? NotSyncedForDays { get; init; }
    public string Sort { get; init; } = SiteSortKeys.Name;
    public bool Descending { get; init; }
    public int Page { get; init; } = 1;
    public int Size { get; init; } = DefaultSize;

    public string Href => "/" + Query();

    /// <summary>The CSV export of the same filters and order (every page).</summary>
    public string ExportHref => "/api/sites/export.csv" + (this with { Page = 1, Size = DefaultSize }).Query();

    public string Query()
    {
        List<(string, string)> parts = [];
        if (!string.IsNullOrEmpty(Search))
        {
            parts.Add(("search", Search));
        }
        if (Health is not null)
        {
            parts.Add(("health", Health));
        }
        if (NotSyncedForDays is { } days)
        {
            parts.Add(("notSyncedForDays", days.ToString(CultureInfo.InvariantCulture)));
        }
        if (Sort != SiteSortKeys.Name || Descending)
        {
            parts.Add(("sort", Sort));
            parts.Add(("dir", Descending ? "desc" : "asc"));
        }
        if (Page > 1)
        {
            parts.Add(("page", Page.ToString(CultureInfo.InvariantCulture)));
        }
        if (Size != DefaultSize)
        {
            parts.Add(("size", Size.ToString(CultureInfo.InvariantCulture)));
        }
        if (parts.Count == 0)
        {
            return "";
        }
        var query = new StringBuilder();
        foreach (var (name, value) in parts)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return query.ToString();
    }

    /// <summary>Sorted by <paramref name="key"/>: ascending, or the other way round when it already is; back to the first page.</summary>
    public SiteListUrl SortedBy(string key) =>
        this with { Sort = key, Descending = Sort == key && !Descending, Page = 1 };
}
