using System.Reflection;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Sites;

public static class SiteMapping
{
    /// <summary>What the central server's own row shows as its device type (it reports none: it never syncs).</summary>
    public const string CentralDeviceType = "SiteSync Central";

    /// <summary>This server's version, shown as the central row's app version.</summary>
    public static string CentralVersion { get; } = ReadVersion();

    /// <summary>Rule 10: the device type shown for the <c>app-name</c> a remote reports.</summary>
    public static string? DeviceType(string? appName) => appName switch
    {
        null or "" => null,
        "Open mSupply Desktop" or "Open mSupply Android" => "Open mSupply",
        "SiteSync Remote" => "SiteSync Remote",
        _ => appName,
    };

    public static string? DeviceTypeOf(SiteEntity site) => site.IsActiveOnThisDatafile ? CentralDeviceType : DeviceType(site.AppName);

    public static string? AppVersionOf(SiteEntity site) => site.IsActiveOnThisDatafile ? CentralVersion : site.AppVersion;

    /// <param name="site">The stored site.</param>
    /// <param name="stores">Its stores, in the order to show.</param>
    /// <param name="health">Its health (<see cref="FleetHealth"/>).</param>
    /// <param name="contractFunder">The funder of its support contract, shown when none is set on the site.</param>
    public static Site ToSite(this SiteEntity site, IReadOnlyList<StoreRef> stores, HealthVerdict health, string? contractFunder) => new(
        site.Id,
        site.Code,
        site.Name,
        site.Type,
        DeviceTypeOf(site),
        AppVersionOf(site),
        site.LastSyncedAt,
        site.LastConnectedAt,
        site.IsBlocked ? SiteStatuses.Blocked : SiteStatuses.Active,
        site.IsActiveOnThisDatafile,
        site.IsOmSupplyCentralServer,
        site.OmSupplyCentralServerUrl,
        site.HardwareId,
        site.InitialisationStatus,
        stores,
        site.FunderName ?? contractFunder,
        health.Health,
        health.Reason,
        FleetHealth.LastError(site));

    public static IReadOnlyList<StoreRef> StoresOf(SiteEntity site) =>
        [.. site.Stores.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(s => new StoreRef(s.Id, s.Code, s.Name))];

    private static string ReadVersion()
    {
        var version = typeof(SiteMapping).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(SiteMapping).Assembly.GetName().Version?.ToString() ?? "";
        // The build appends "+<commit>": people compare versions, not commits.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
