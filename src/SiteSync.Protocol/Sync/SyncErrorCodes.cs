namespace SiteSync.Protocol.Sync;

/// <summary>The <c>error.code</c> values of the sync v5 error envelope (reference §1.6).</summary>
public static class SyncErrorCodes
{
    /// <summary>No site has the name in the credentials (401).</summary>
    public const string SiteNameNotFound = "site_name_not_found";

    /// <summary>The password hash does not match (401).</summary>
    public const string SiteIncorrectPassword = "site_incorrect_password";

    /// <summary>Another device is bound to the site (401).</summary>
    public const string SiteIncorrectHardwareId = "site_incorrect_hardware_id";

    /// <summary>The site has no active store.</summary>
    public const string SiteHasNoStore = "site_has_no_store";

    /// <summary>The site is blocked after too many failed attempts (401).</summary>
    public const string SiteAuthTimeout = "site_auth_timeout";

    /// <summary>The <c>version</c> header is outside the accepted range (409, with <c>data</c>).</summary>
    public const string ApiVersionIncompatible = "api_version_incompatible";

    /// <summary>The request body is not valid JSON or not of the endpoint's shape (400).</summary>
    public const string InvalidBody = "invalid_body";

    /// <summary>The request body is larger than the server accepts (413).</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>A query parameter is missing or out of range (400).</summary>
    public const string InvalidQuery = "invalid_query";

    /// <summary>Another request of the same site holds the site's sync lock (503).</summary>
    public const string SyncIsRunning = "sync_is_running";

    /// <summary>Central's storage is full (507): nothing of the request was kept; retry once an operator has made room.</summary>
    public const string StorageFull = "storage_full";

    /// <summary>Central's database is busy or unavailable for a moment (503 with <c>Retry-After</c>): retry later.</summary>
    public const string StorageBusy = "storage_busy";

    /// <summary>An integrity request names a store that is not active on the requesting site (403).</summary>
    public const string StoreNotActiveOnSite = "store_not_active_on_site";

    /// <summary>An integrity report names an audit that is not the site's latest (409): verify again.</summary>
    public const string AuditSuperseded = "audit_superseded";

    /// <summary>v4: the store named is not active on the calling site (403).</summary>
    public const string StoreNotOnSite = "store_not_on_site";

    /// <summary>v4: central holds no patient with that id (404).</summary>
    public const string PatientNotFound = "patient_not_found";
}
