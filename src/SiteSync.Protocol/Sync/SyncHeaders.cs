namespace SiteSync.Protocol.Sync;

/// <summary>Names of the HTTP headers every sync v5 request carries (reference §1.2).</summary>
public static class SyncHeaders
{
    /// <summary>The hardware id of the device that syncs.</summary>
    public const string HardwareId = "msupply-site-uuid";

    /// <summary>The application name, e.g. <c>Open mSupply Desktop</c>.</summary>
    public const string AppName = "app-name";

    /// <summary>The application version, e.g. <c>2.20.0</c>.</summary>
    public const string AppVersion = "app-version";

    /// <summary>The sync API version the client speaks (14 for the current Open mSupply client).</summary>
    public const string SyncVersion = "version";
}
