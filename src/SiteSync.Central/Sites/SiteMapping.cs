using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Sites;

public static class SiteMapping
{
    /// <summary>Rule 10: the device type shown for the <c>app-name</c> a remote reports.</summary>
    public static string? DeviceType(string? appName) => appName switch
    {
        null or "" => null,
        "Open mSupply Desktop" or "Open mSupply Android" => "Open mSupply",
        "SiteSync Remote" => "SiteSync Remote",
        _ => appName,
    };

    public static Site ToSite(this SiteEntity site) => new(
        site.Id,
        site.Code,
        site.Name,
        site.Type,
        SiteMapping.DeviceType(site.AppName),
        site.AppVersion,
        site.LastSyncedAt,
        site.LastConnectedAt,
        site.IsBlocked ? SiteStatuses.Blocked : SiteStatuses.Active,
        site.IsActiveOnThisDatafile,
        site.IsOmSupplyCentralServer,
        site.OmSupplyCentralServerUrl,
        site.HardwareId,
        site.InitialisationStatus,
        [.. site.Stores.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(s => new StoreRef(s.Id, s.Code, s.Name))],
        site.FunderName);
}
