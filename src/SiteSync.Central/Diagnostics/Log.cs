namespace SiteSync.Central.Diagnostics;

/// <summary>Event-id ranges per area: 1000s sync, 2000s sites, 3000s storage, 4000s admin, 5000s hosting and operations.</summary>
public static class EventIds
{
    public const int SyncAuthFailed = 1001;
    public const int SyncBlocked = 1002;
    public const int SyncHardwareMismatch = 1003;
    public const int SyncPushIntegrated = 1004;
    public const int SyncInitialised = 1005;
    public const int SyncIntegrationRetried = 1006;
    public const int SyncIntegrationFailed = 1007;
    public const int SyncRestoreDetected = 1008;
    public const int SyncIntegrityChecked = 1101;
    public const int StorageMigrating = 3001;
    public const int StorageSiteLogPruned = 3002;
    public const int StorageSiteLogPruneFailed = 3003;
    public const int StorageUnavailable = 3004;
    public const int StorageRoutingColumnsFilled = 3005;
    public const int StorageStaleMigrationLock = 3006;
    public const int StorageRoutingColumnsTable = 3007;
    public const int AdminReady = 4001;
    public const int AdminUnhandled = 4002;
    public const int AdminBadRequest = 4003;
    public const int AdminCreated = 4004;
    public const int AdminThrottled = 4005;
    public const int HostingStarting = 5001;
    public const int HostingSampleFailed = 5002;
    public const int HostingStartFailed = 5003;
    public const int HostingKeysUnencrypted = 5004;
    public const int HostingKeysEncrypted = 5005;
    public const int HostingCommand = 5006;
    public const int HostingNotReady = 5007;
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

    [LoggerMessage(EventIds.AdminCreated, LogLevel.Information,
        "Created user 'admin' with the password from SiteSync:Admin:InitialPassword (SiteSync__Admin__InitialPassword)")]
    public static partial void AdminCreatedFromConfiguration(ILogger logger);

    [LoggerMessage(EventIds.AdminThrottled, LogLevel.Warning, "Too many {Scheme} attempts from {Address}: refused with 429 for {RetryAfterSeconds} s")]
    public static partial void Throttled(ILogger logger, string scheme, string address, int retryAfterSeconds);

    [LoggerMessage(EventIds.HostingStarting, LogLevel.Information,
        "SiteSync Central {Version}: data directory {DataDirectory}; database {Database}; configuration from {ContentRoot}")]
    public static partial void Starting(ILogger logger, string version, string dataDirectory, string database, string contentRoot);

    [LoggerMessage(EventIds.HostingSampleFailed, LogLevel.Warning, "Could not sample queue depths from the database ({Error}); gauges keep the last sample")]
    public static partial void SampleFailed(ILogger logger, string error);

    [LoggerMessage(EventIds.HostingStartFailed, LogLevel.Critical, "SiteSync Central failed (start-up or command); exiting with code 1")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.HostingKeysUnencrypted, LogLevel.Information,
        "Data-protection keys (they sign login cookies and antiforgery tokens) are kept in the database without encryption: whoever can read the database can forge a session. Protect the database, or set SiteSync:DataProtection:CertificatePath to encrypt them (docs/operations.md).")]
    public static partial void KeysUnencrypted(ILogger logger);

    [LoggerMessage(EventIds.HostingKeysEncrypted, LogLevel.Information, "Data-protection keys are encrypted with the certificate {Thumbprint}")]
    public static partial void KeysEncrypted(ILogger logger, string thumbprint);

    [LoggerMessage(EventIds.HostingCommand, LogLevel.Information, "{Command}: {Message}")]
    public static partial void Command(ILogger logger, string command, string message);

    [LoggerMessage(EventIds.HostingNotReady, LogLevel.Warning, "Not ready: {Reason}")]
    public static partial void NotReady(ILogger logger, string reason);

    [LoggerMessage(EventIds.AdminUnhandled, LogLevel.Error, "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventIds.SyncRestoreDetected, LogLevel.Warning, "Site {SiteId} pulled the change log from {Cursor} after reaching {Reached}: restored from an older copy? Its stores' data is delivered again")]
    public static partial void RestoreDetected(ILogger logger, int siteId, long cursor, long reached);

    [LoggerMessage(EventIds.StorageUnavailable, LogLevel.Error, "Refused {Method} {Path}: {Status} {Reason}")]
    public static partial void StorageUnavailable(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventIds.AdminBadRequest, LogLevel.Information, "Refused {Method} {Path}: {Status} {Reason}")]
    public static partial void BadRequest(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventIds.SyncAuthFailed, LogLevel.Warning, "Sync authentication refused for site {SiteId}: {Code}")]
    public static partial void SyncAuthRefused(ILogger logger, int? siteId, string code);

    [LoggerMessage(EventIds.SyncAuthFailed, LogLevel.Debug, "Sync authentication refused: no site has the presented name")]
    public static partial void SyncUnknownSite(ILogger logger);

    [LoggerMessage(EventIds.SyncBlocked, LogLevel.Warning, "Site {SiteId} blocked after {Failures} failed password attempts")]
    public static partial void SiteBlocked(ILogger logger, int siteId, int failures);

    [LoggerMessage(EventIds.SyncHardwareMismatch, LogLevel.Warning, "Site {SiteId}: request from another device refused")]
    public static partial void HardwareMismatch(ILogger logger, int siteId);

    [LoggerMessage(EventIds.SyncPushIntegrated, LogLevel.Information, "Site {SiteId}: integrated {Accepted} pushed record(s), rejected {Rejected} in {ElapsedMs} ms")]
    public static partial void PushIntegrated(ILogger logger, int siteId, int accepted, int rejected, long elapsedMs);

    [LoggerMessage(EventIds.SyncIntegrationRetried, LogLevel.Warning, "Site {SiteId}: the database refused the push as a whole; integrating it record by record")]
    public static partial void IntegrationRetriedRecordByRecord(ILogger logger, Exception exception, int siteId);

    [LoggerMessage(EventIds.SyncIntegrationFailed, LogLevel.Error, "Site {SiteId}: the interrupted integration could not be finished at start-up; the site's next push retries it")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception, int siteId);

    [LoggerMessage(EventIds.SyncInitialised, LogLevel.Information, "Site {SiteId}: initialised with {Stores} store(s), {QueueLength} record(s) queued")]
    public static partial void Initialised(ILogger logger, int siteId, int stores, long queueLength);

    [LoggerMessage(EventIds.SyncIntegrityChecked, LogLevel.Information, "Site {SiteId}: integrity audit compared {Groups} group(s), {Differing} differ")]
    public static partial void IntegrityChecked(ILogger logger, int siteId, long groups, int differing);

    [LoggerMessage(EventIds.StorageRoutingColumnsFilled, LogLevel.Information, "Routing columns brought to version {Version}: {Changed} stored record(s) updated")]
    public static partial void RoutingColumnsFilled(ILogger logger, long changed, int version);

    [LoggerMessage(EventIds.StorageStaleMigrationLock, LogLevel.Warning, "Removed a migration lock taken at {Taken} by a process that did not finish its upgrade")]
    public static partial void StaleMigrationLockRemoved(ILogger logger, string taken);

    [LoggerMessage(EventIds.StorageRoutingColumnsTable, LogLevel.Information, "Routing columns of {Table}: {Read} record(s) read, {Changed} updated")]
    public static partial void RoutingColumnsTable(ILogger logger, string table, long read, long changed);
}
