using System.Globalization;
using SiteSync.Central.Admin;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Sites;

/// <summary>What the site list shows: filters, order and page. The admin API and the UI read the same query parameters
/// (<c>search</c>, <c>health</c>, <c>notSyncedForDays</c>, <c>sort</c>, <c>dir</c>, and <c>offset</c>/<c>limit</c> or the UI's
/// <c>page</c>/<c>size</c>), so a page of the list is a bookmarkable URL that works without script.</summary>
public sealed record SiteQuery
{
    public const int MaxLimit = 1000;

    /// <summary>Matched against name, code, id, device type, app version, store names and codes, health and status.</summary>
    public string? Search { get; init; }

    /// <summary>One of <see cref="SiteHealths"/>, or null for every health.</summary>
    public string? Health { get; init; }

    /// <summary>Only sites whose last successful sync is older than this many days, or that never synced.</summary>
    public int? NotSyncedForDays { get; init; }

    /// <summary>One of <see cref="SiteSortKeys"/>.</summary>
    public string Sort { get; init; } = SiteSortKeys.Name;

    public bool Descending { get; init; }

    public int Offset { get; init; }

    /// <summary>The page size, or null for every matching site.</summary>
    public int? Limit { get; init; }

    /// <summary>Reads the query parameters; a bad one is a 400 naming it, never a silent default.</summary>
    public static AdminResult<SiteQuery> Parse(
        string? search, string? health, string? notSyncedForDays, string? sort, string? dir, string? offset, string? limit)
    {
        if (search is { Length: > 200 })
        {
            return AdminResult<SiteQuery>.Invalid("search", "search has at most 200 characters.");
        }
        var healthValue = string.IsNullOrEmpty(health) ? null : health;
        if (healthValue is not null && !SiteHealths.All.Contains(healthValue))
        {
            return AdminResult<SiteQuery>.Invalid("health", $"health must be one of {string.Join(", ", SiteHealths.All)}.");
        }
        int? days = null;
        if (!string.IsNullOrEmpty(notSyncedForDays))
        {
            if (!int.TryParse(notSyncedForDays, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 36_500)
            {
                return AdminResult<SiteQuery>.Invalid("notSyncedForDays", "notSyncedForDays must be a whole number of days from 1 to 36500.");
            }
            days = parsed;
        }
        var sortKey = string.IsNullOrEmpty(sort) ? SiteSortKeys.Name : sort;
        if (!SiteSortKeys.All.Contains(sortKey))
        {
            return AdminResult<SiteQuery>.Invalid("sort", $"sort must be one of {string.Join(", ", SiteSortKeys.All)}.");
        }
        if (dir is not (null or "" or "asc" or "desc"))
        {
            return AdminResult<SiteQuery>.Invalid("dir", "dir must be asc or desc.");
        }
        var skip = 0;
        if (!string.IsNullOrEmpty(offset) && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            return AdminResult<SiteQuery>.Invalid("offset", "offset must be a whole number ≥ 0.");
        }
        int? take = null;
        if (!string.IsNullOrEmpty(limit))
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > MaxLimit)
            {
                return AdminResult<SiteQuery>.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
            }
            take = parsed;
        }
        return AdminResult<SiteQuery>.Ok(new SiteQuery
        {
            Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
            Health = healthValue,
            NotSyncedForDays = days,
            Sort = sortKey,
            Descending = dir == "desc",
            Offset = skip,
            Limit = take,
        });
    }
}

/// <summary>The columns the site list sorts by. Whatever the order, the central server stays first.</summary>
public static class SiteSortKeys
{
    public const string Id = "id";
    public const string Code = "code";
    public const string Name = "name";
    public const string Stores = "stores";
    public const string DeviceType = "device";
    public const string AppVersion = "version";
    public const string LastSynced = "synced";
    public const string LastConnection = "connected";
    public const string Health = "health";
    public const string LastError = "error";

    public static IReadOnlyList<string> All { get; } =
        [Id, Code, Name, Stores, DeviceType, AppVersion, LastSynced, LastConnection, Health, LastError];
}
