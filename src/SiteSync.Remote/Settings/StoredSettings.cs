using System.Globalization;
using System.Text.Json;
using SiteSync.Remote.Sync;

namespace SiteSync.Remote.Settings;

/// <summary>The site's settings table as typed values: the one reader of every key (<see cref="RemoteSite"/> and the sync
/// engine both read through it), and the one writer of their text form (<see cref="Text(bool)"/> and its overloads).</summary>
/// <param name="Server">Central's URL as stored; null before <c>init</c>.</param>
/// <param name="SiteName">The site name; null before <c>init</c>.</param>
/// <param name="PasswordHash">The password's SHA-256 hex.</param>
/// <param name="HardwareId">The hardware id stored at init or by config.</param>
/// <param name="IntervalMinutes">Minutes between cycles.</param>
/// <param name="RequestSize">Records per request now.</param>
/// <param name="RequestSizeMin">The lower bound of the request size.</param>
/// <param name="RequestSizeMax">The upper bound of the request size.</param>
/// <param name="AuthCodeHash">The authorisation code's PBKDF2 hash; null when none is set.</param>
/// <param name="SiteId">The site id central reported.</param>
/// <param name="SiteUuid">The site's UUID central reported (a data directory belongs to one site).</param>
/// <param name="CentralSiteId">Central's own site id.</param>
/// <param name="ActiveStoreIds">The stores active on this site after the last integration.</param>
/// <param name="IsInitialised">Whether a full sync has completed.</param>
/// <param name="IsQueueInitialised">Whether central has initialised the site's queue.</param>
internal sealed record StoredSettings(
    string? Server,
    string? SiteName,
    string? PasswordHash,
    string? HardwareId,
    int IntervalMinutes,
    int RequestSize,
    int RequestSizeMin,
    int RequestSizeMax,
    string? AuthCodeHash,
    int? SiteId,
    string? SiteUuid,
    int? CentralSiteId,
    IReadOnlyList<string> ActiveStoreIds,
    bool IsInitialised,
    bool IsQueueInitialised)
{
    private const string True = "true";

    /// <summary>Whether <c>init</c> stored a site here.</summary>
    public bool IsSetUp => Server is not null && SiteName is not null;

    public static StoredSettings Parse(IReadOnlyDictionary<string, string> raw) => new(
        raw.GetValueOrDefault(SettingKeys.Server),
        raw.GetValueOrDefault(SettingKeys.Site),
        raw.GetValueOrDefault(SettingKeys.Password),
        raw.GetValueOrDefault(SettingKeys.HardwareId),
        Int(raw, SettingKeys.Interval) ?? RemoteSettings.DefaultIntervalMinutes,
        Int(raw, SettingKeys.RequestSize) ?? RequestSizeController.DefaultInitial,
        Int(raw, SettingKeys.RequestSizeMin) ?? RequestSizeController.DefaultMin,
        Int(raw, SettingKeys.RequestSizeMax) ?? RequestSizeController.DefaultMax,
        raw.GetValueOrDefault(SettingKeys.AuthCodeHash),
        Int(raw, SettingKeys.SiteId),
        raw.GetValueOrDefault(SettingKeys.SiteUuid),
        Int(raw, SettingKeys.CentralSiteId),
        raw.TryGetValue(SettingKeys.ActiveStoreIds, out var stores)
            ? JsonSerializer.Deserialize(stores, RemoteJsonContext.Default.ListString) ?? []
            : [],
        Bool(raw, SettingKeys.IsInitialised),
        Bool(raw, SettingKeys.IsQueueInitialised));

    /// <summary>The public view: secrets only as whether they are set.</summary>
    /// <exception cref="InvalidOperationException">The site is not set up (<see cref="IsSetUp"/> is false).</exception>
    public RemoteSettings ToRemoteSettings() => new(
        new Uri(Server ?? throw new InvalidOperationException("No site is set up.")),
        SiteName ?? throw new InvalidOperationException("No site is set up."),
        HardwareId,
        IntervalMinutes,
        RequestSize,
        RequestSizeMin,
        RequestSizeMax,
        AuthCodeHash is not null,
        SiteId,
        CentralSiteId,
        ActiveStoreIds,
        IsInitialised);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Text(bool value) => value ? True : "false";

    public static string Text(IReadOnlyList<string> storeIds) =>
        JsonSerializer.Serialize(storeIds as List<string> ?? [.. storeIds], RemoteJsonContext.Default.ListString);

    private static int? Int(IReadOnlyDictionary<string, string> raw, string key) =>
        raw.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : null;

    private static bool Bool(IReadOnlyDictionary<string, string> raw, string key) =>
        raw.TryGetValue(key, out var value) && string.Equals(value, True, StringComparison.Ordinal);
}
