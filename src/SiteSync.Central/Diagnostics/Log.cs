namespace SiteSync.Central.Diagnostics;

/// <summary>Event-id ranges per area: 1000s sync, 2000s sites, 3000s storage, 4000s admin.</summary>
public static class EventIds
{
    public const int SyncAuthFailed = 1001;
    public const int SyncBlocked = 1002;
    public const int SyncHardwareMismatch = 1003;
    public const int SyncPushIntegrated = 1004;
    public const int SyncInitialised = 1005;
    public const int StorageMigrating = 3001;
    public const int StorageSiteLogPruned = 3002;
    public const int StorageSiteLogPruneFailed = 3003;
    public const int AdminReady = 4001;
    public const int AdminUnhandled = 4002;
    public const int AdminBadRequest = 4003;
}

/// <summary>All of central's log messages, source-generated. Identifiers and counts only: never a password, hash or payload.</summary>
public static partial class Log
{
    [LoggerMessage(EventIds.StorageMigrating, LogLevel.Information, "Applying {Pending} pending migration(s) on {Provider}")]
    public static partial void ApplyingMigrations(ILogger logger, int pending, string provider);

    [LoggerMessage(EventIds.StorageSiteLogPruned, LogLevel.Information, "Site log: deleted {Deleted} line(s) older than {RetentionDays} days in {Batches} batch(es)")]
    public static partial void SiteLogPruned(ILogger logger, int deleted, int batches, int retentionDays);

    [LoggerMessage(EventIds.StorageSiteLogPruneFailed, LogLevel.Error, "Site log retention pass failed; retrying at the next pass")]
    public static partial void SiteLogPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.AdminReady, LogLevel.Information, "Users present; no bootstrap admin created")]
    public static partial void AdminReady(ILogger logger);

    [LoggerMessage(EventIds.AdminUnhandled, LogLevel.Error, "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventIds.AdminBadRequest, LogLevel.Information, "Refused {Method} {Path}: {Status} {Reason}")]
    public static partial void BadRequest(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventIds.SyncAuthFailed, LogLevel.Warning, "Sync authentication refused for site {SiteId}: {Code}")]
    public static partial void SyncAuthRefused(ILogger logger, int? siteId, string code);

    [LoggerMessage(EventIds.SyncBlocked, LogLevel.Warning, "Site {SiteId} blocked after {Failures} failed password attempts")]
    public static partial void SiteBlocked(ILogger logger, int siteId, int failures);

    [LoggerMessage(EventIds.SyncHardwareMismatch, LogLevel.Warning, "Site {SiteId}: request from another device refused")]
    public static partial void HardwareMismatch(ILogger logger, int siteId);

    [LoggerMessage(EventIds.SyncPushIntegrated, LogLevel.Information, "Site {SiteId}: integrated {Accepted} pushed record(s), rejected {Rejected} in {ElapsedMs} ms")]
    public static partial void PushIntegrated(ILogger logger, int siteId, int accepted, int rejected, long elapsedMs);

    [LoggerMessage(EventIds.SyncInitialised, LogLevel.Information, "Site {SiteId}: initialised with {Stores} store(s), {QueueLength} record(s) queued")]
    public static partial void Initialised(ILogger logger, int siteId, int stores, long queueLength);
}
