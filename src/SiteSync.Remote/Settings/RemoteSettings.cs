namespace SiteSync.Remote.Settings;

/// <summary>The site's settings as stored; secrets appear only as whether they are set.</summary>
/// <param name="ServerUrl">Central's URL.</param>
/// <param name="SiteName">The site name.</param>
/// <param name="HardwareIdOverride">The hardware id set at init or by config, used instead of the machine id; null if none.</param>
/// <param name="IntervalMinutes">Minutes between cycles; 0 pauses.</param>
/// <param name="RequestSize">Records per request now.</param>
/// <param name="RequestSizeMin">The lower bound of the request size.</param>
/// <param name="RequestSizeMax">The upper bound of the request size.</param>
/// <param name="IsAuthCodeSet">Whether protected settings are locked by an authorisation code.</param>
/// <param name="SiteId">The site id central reported, once known.</param>
/// <param name="CentralSiteId">Central's own site id, once known.</param>
/// <param name="ActiveStoreIds">The stores active on this site (store records whose <c>sync_id_remote_site</c> is the site id).</param>
/// <param name="IsInitialised">Whether a full sync has completed.</param>
public sealed record RemoteSettings(
    Uri ServerUrl,
    string SiteName,
    string? HardwareIdOverride,
    int IntervalMinutes,
    int RequestSize,
    int RequestSizeMin,
    int RequestSizeMax,
    bool IsAuthCodeSet,
    int? SiteId,
    int? CentralSiteId,
    IReadOnlyList<string> ActiveStoreIds,
    bool IsInitialised)
{
    /// <summary>The interval a new site starts with.</summary>
    public const int DefaultIntervalMinutes = 5;
}
