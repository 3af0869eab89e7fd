using SiteSync.Protocol.Sync;

namespace SiteSync.Remote;

/// <summary>What <see cref="RemoteSite.InitAsync"/> sets up.</summary>
/// <param name="ServerUrl">Central's URL (http or https).</param>
/// <param name="SiteName">The site name registered on central.</param>
/// <param name="Password">The site password; only its SHA-256 hex is stored.</param>
/// <param name="AuthorisationCode">The code that locks protected settings; only a PBKDF2 hash is stored. Null leaves them unlocked.</param>
/// <param name="HardwareId">A hardware id to send instead of the machine id; null to use the machine id.</param>
/// <param name="IntervalMinutes">Minutes between cycles; null for the default (5).</param>
public sealed record RemoteSetup(
    Uri ServerUrl, string SiteName, string Password, string? AuthorisationCode = null, string? HardwareId = null, int? IntervalMinutes = null)
{
    /// <summary>Keeps the password and the code out of logs.</summary>
    /// <returns>The setup without its secrets.</returns>
    public override string ToString() => $"RemoteSetup {{ ServerUrl = {ServerUrl}, SiteName = {SiteName}, HardwareId = {HardwareId} }}";
}

/// <summary>The state of the site, for <c>sitesync remote status</c>.</summary>
/// <param name="DataDirectory">Where the database is.</param>
/// <param name="ServerUrl">Central's URL.</param>
/// <param name="SiteName">The site name.</param>
/// <param name="HardwareId">The hardware id the next cycle sends.</param>
/// <param name="SiteId">The site id central reported, once known.</param>
/// <param name="CentralSiteId">Central's site id, once known.</param>
/// <param name="IsInitialised">Whether a full sync has completed.</param>
/// <param name="IntervalMinutes">Minutes between cycles; 0 = paused.</param>
/// <param name="RequestSize">Records per request now.</param>
/// <param name="RequestSizeMin">Its lower bound.</param>
/// <param name="RequestSizeMax">Its upper bound.</param>
/// <param name="IsAuthorisationCodeSet">Whether protected settings are locked.</param>
/// <param name="ActiveStoreIds">Stores active on this site.</param>
/// <param name="PendingPush">Local changes not yet accepted by central.</param>
/// <param name="Buffered">Pulled records not yet integrated.</param>
/// <param name="CentralCursor">The last change-log id stored.</param>
/// <param name="LastCycle">The latest cycle, if any.</param>
/// <param name="LastSuccessfulSyncAt">When the latest successful cycle ended, if any.</param>
public sealed record RemoteStatus(
    string DataDirectory,
    Uri ServerUrl,
    string SiteName,
    string HardwareId,
    int? SiteId,
    int? CentralSiteId,
    bool IsInitialised,
    int IntervalMinutes,
    int RequestSize,
    int RequestSizeMin,
    int RequestSizeMax,
    bool IsAuthorisationCodeSet,
    IReadOnlyList<string> ActiveStoreIds,
    long PendingPush,
    int Buffered,
    long CentralCursor,
    SyncLogSummary? LastCycle,
    DateTimeOffset? LastSuccessfulSyncAt);

/// <summary>One line of the sync log.</summary>
/// <param name="StartedAt">When the cycle started.</param>
/// <param name="FinishedAt">When it ended; null while running or if the process died.</param>
/// <param name="Outcome">One of <see cref="Sync.SyncOutcomes"/>.</param>
/// <param name="ErrorCode">Central's error code or a client-side code, for failures.</param>
/// <param name="Message">The error message, for failures.</param>
/// <param name="Pushed">Records pushed.</param>
/// <param name="PulledCentral">Change-log records pulled.</param>
/// <param name="PulledQueue">Queue records pulled.</param>
/// <param name="Integrated">Records integrated.</param>
public sealed record SyncLogSummary(
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Outcome,
    string? ErrorCode,
    string? Message,
    int Pushed,
    int PulledCentral,
    int PulledQueue,
    int Integrated);

/// <summary>The outcome of <see cref="RemoteSite.CheckAsync"/>.</summary>
/// <param name="Code"><c>ok</c>, central's error code (e.g. <c>site_incorrect_password</c>), <c>connection_error</c>, or
/// <c>http_NNN</c> when central answered without an error code.</param>
/// <param name="Message">For people.</param>
/// <param name="HttpStatus">The HTTP status of a refusal, if central answered.</param>
/// <param name="Site">The site info, when the check passed.</param>
/// <param name="Status">Central's status for the site, when the check passed.</param>
public sealed record CheckResult(string Code, string Message, int? HttpStatus, SiteInfo? Site, SiteStatus? Status)
{
    /// <summary>The code of a passed check.</summary>
    public const string OkCode = "ok";

    /// <summary>Whether URL, credentials and hardware id were all accepted.</summary>
    public bool IsOk => string.Equals(Code, OkCode, StringComparison.Ordinal);
}

/// <summary>A record of the site's database.</summary>
/// <param name="TableName">The legacy table.</param>
/// <param name="RecordId">The record id.</param>
/// <param name="Data">The record, JSON text.</param>
/// <param name="StoreId">The owning store, null for central data.</param>
public sealed record RemoteRecord(string TableName, string RecordId, string Data, string? StoreId);
