namespace SiteSync.Protocol.Sync;

/// <summary>The answer to <c>GET /sync/v5/site_status</c>: <c>{"code","message","data":null}</c> (reference §2.2).</summary>
/// <param name="Code">One of <see cref="SiteStatusCodes"/>; the client waits for <c>idle</c>.</param>
/// <param name="Message">Required by the client; a short text.</param>
/// <param name="Data">Always null: the client accepts only null or a string here.</param>
public sealed record SiteStatus(string Code, string Message, string? Data = null);

/// <summary>Values of <see cref="SiteStatus.Code"/>.</summary>
public static class SiteStatusCodes
{
    /// <summary>Nothing is running for the site.</summary>
    public const string Idle = "idle";

    /// <summary>A sync of the site is running.</summary>
    public const string SyncIsRunning = "sync_is_running";

    /// <summary>Central is integrating the site's push.</summary>
    public const string IntegrationInProgress = "integration_in_progress";

    /// <summary>Central is filling the site's queue.</summary>
    public const string InitialisationInProgress = "initialisation_in_progress";
}
