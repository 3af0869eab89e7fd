namespace SiteSync.Remote.Settings;

/// <summary>The keys of the site's settings, as <c>sitesync remote config get|set</c> names them.</summary>
public static class SettingKeys
{
    /// <summary>Central's URL. Protected.</summary>
    public const string Server = "server";

    /// <summary>The site name. Protected.</summary>
    public const string Site = "site";

    /// <summary>The password, kept only as its SHA-256 hex and never shown. Protected.</summary>
    public const string Password = "password";

    /// <summary>The hardware id sent instead of the machine id (tests, containers). Protected.</summary>
    public const string HardwareId = "hardware-id";

    /// <summary>Minutes between sync cycles; 0 pauses. The only key that needs no authorisation code (rule 22).</summary>
    public const string Interval = "interval";

    /// <summary>The current records per request; the site adapts it by itself (rule 23). Protected.</summary>
    public const string RequestSize = "request-size";

    /// <summary>The lower bound of the request size. Protected.</summary>
    public const string RequestSizeMin = "request-size-min";

    /// <summary>The upper bound of the request size. Protected.</summary>
    public const string RequestSizeMax = "request-size-max";

    /// <summary>Every key <c>config set</c> accepts.</summary>
    public static IReadOnlyList<string> Settable { get; } =
        [Server, Site, Password, HardwareId, Interval, RequestSize, RequestSizeMin, RequestSizeMax];

    // Internal state, set by the engine, never by config set.
    internal const string AuthCodeHash = "auth-code-hash";
    internal const string SiteId = "site-id";
    internal const string SiteUuid = "site-uuid";
    internal const string CentralSiteId = "central-site-id";
    internal const string ActiveStoreIds = "active-store-ids";
    internal const string IsInitialised = "initialised";
    internal const string IsQueueInitialised = "queue-initialised";
}
