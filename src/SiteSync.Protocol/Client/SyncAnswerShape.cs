using SiteSync.Protocol.Sync;

namespace SiteSync.Protocol.Client;

/// <summary>The fields the real client requires in each answer (reference §2): the JSON context fills a missing member with its
/// default, so the client checks them after reading, and refuses the answer as the real client's parser would.</summary>
internal static class SyncAnswerShape
{
    private static readonly string[] Statuses =
        [InitialisationStatuses.New, InitialisationStatuses.Started, InitialisationStatuses.Completed, InitialisationStatuses.Error];

    private static readonly string[] StatusCodes =
        [SiteStatusCodes.Idle, SiteStatusCodes.SyncIsRunning, SiteStatusCodes.IntegrationInProgress, SiteStatusCodes.InitialisationInProgress];

    public static string? Problem(SiteInfo site) => site switch
    {
        { Id: null } => "site info without id",
        { OmSupplyCentralServerUrl: null } => "site info without omSupplyCentralServerUrl",
        _ when !Statuses.Contains(site.InitialisationStatus, StringComparer.Ordinal) => $"unknown initialisationStatus '{site.InitialisationStatus}'",
        _ => null,
    };

    public static string? Problem(SiteStatus status) => status switch
    {
        { Message: null } => "site status without message",
        _ when !StatusCodes.Contains(status.Code, StringComparer.Ordinal) => $"unknown site status code '{status.Code}'",
        _ => null,
    };

    public static string? Problem(RemoteSyncBatch batch) =>
        batch.Data?.FirstOrDefault(r => r is null || r.SyncOutId is null || r.TableName is null || r.RecordId is null || r.Action is null) is { } bad
            ? $"queue record without syncOutId, tableName, recordId or action ({bad?.RecordId})"
            : null;

    public static string? Problem(CentralSyncBatch batch) =>
        batch.Data?.FirstOrDefault(r => r is null || r.TableName is null || r.RecordId is null || r.Action is null) is { } bad
            ? $"change-log record without tableName, recordId or action (ID {bad?.Id})"
            : null;
}
