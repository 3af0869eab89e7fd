using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Admin.Ui.Pages.Sites;

/// <summary>The sortable columns of the site list (rule 1). Whatever the order, the central server stays first.</summary>
public static class SiteSorting
{
    public const string Id = "id";
    public const string Code = "code";
    public const string Name = "name";
    public const string DeviceType = "device";
    public const string AppVersion = "version";
    public const string LastSynced = "synced";
    public const string LastConnection = "connected";
    public const string Status = "status";

    public static bool IsKnown(string? key) => key is Id or Code or Name or DeviceType or AppVersion or LastSynced or LastConnection or Status;

    public static IReadOnlyList<Site> Apply(IEnumerable<Site> sites, string key, bool descending)
    {
        var central = sites.Where(s => s.IsActiveOnThisDatafile);
        var others = sites.Where(s => !s.IsActiveOnThisDatafile);
        var sorted = key switch
        {
            Id => Order(others, s => s.Id, Comparer<int>.Default, descending),
            Code => Order(others, s => s.Code, StringComparer.OrdinalIgnoreCase, descending),
            DeviceType => Order(others, s => s.DeviceType ?? "", StringComparer.OrdinalIgnoreCase, descending),
            AppVersion => Order(others, s => s.AppVersion ?? "", StringComparer.OrdinalIgnoreCase, descending),
            LastSynced => Order(others, s => s.LastSyncedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, descending),
            LastConnection => Order(others, s => s.LastConnectedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, descending),
            Status => Order(others, s => s.Status, StringComparer.Ordinal, descending),
            _ => Order(others, s => s.Name, StringComparer.OrdinalIgnoreCase, descending),
        };
        // Ties keep the service's order (by name), so equal keys never shuffle between requests.
        return [.. central, .. sorted];
    }

    private static IEnumerable<Site> Order<T>(IEnumerable<Site> sites, Func<Site, T> key, IComparer<T> comparer, bool descending) =>
        descending ? sites.OrderByDescending(key, comparer) : sites.OrderBy(key, comparer);
}
