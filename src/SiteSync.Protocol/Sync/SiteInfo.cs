using System.Text.Json.Serialization;

namespace SiteSync.Protocol.Sync;

/// <summary>The answer to <c>GET /sync/v5/site</c>; all six fields are required by the client (reference §2.1).</summary>
/// <param name="Id">A stable unique id of the site (the client refuses a change of it).</param>
/// <param name="SiteId">The numeric site id; stores with <c>sync_id_remote_site</c> equal to it are active on the site.</param>
/// <param name="InitialisationStatus">One of <see cref="InitialisationStatuses"/>.</param>
/// <param name="OmSupplyCentralServerUrl">Where the site finds the v6 API; must parse as a URL.</param>
/// <param name="IsOmSupplyCentralServer">Whether this site is itself the Open mSupply central server.</param>
/// <param name="MSupplyCentralSiteId">The id of the central site (1).</param>
public sealed record SiteInfo(
    string Id,
    int SiteId,
    string InitialisationStatus,
    [property: JsonPropertyName("omSupplyCentralServerUrl")] string OmSupplyCentralServerUrl,
    [property: JsonPropertyName("isOmSupplyCentralServer")] bool IsOmSupplyCentralServer,
    [property: JsonPropertyName("mSupplyCentralSiteId")] int MSupplyCentralSiteId);

/// <summary>Values of <see cref="SiteInfo.InitialisationStatus"/>.</summary>
public static class InitialisationStatuses
{
    /// <summary>The site has never been initialised.</summary>
    public const string New = "new";

    /// <summary>Central is filling the site's queue.</summary>
    public const string Started = "started";

    /// <summary>The site's queue has been filled.</summary>
    public const string Completed = "completed";

    /// <summary>Initialisation failed.</summary>
    public const string Error = "error";
}
