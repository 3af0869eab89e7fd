namespace SiteSync.Protocol.Admin;

/// <summary>One line of a site's log.</summary>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Level"><c>info</c>, <c>warning</c> or <c>error</c>.</param>
/// <param name="Event">A stable event name, e.g. <c>auth_failed</c>.</param>
/// <param name="Message">What happened, for people; never a secret.</param>
/// <param name="User">The admin user who did it, or null for the site or the system.</param>
public sealed record LogEntry(DateTimeOffset At, string Level, string Event, string Message, string? User);

/// <summary>A store and the site it is active on.</summary>
/// <param name="Id">Store id.</param>
/// <param name="Code">Store code.</param>
/// <param name="Name">Store name.</param>
/// <param name="NameId">The id of the store's <c>name</c> record.</param>
/// <param name="SiteId">The site the store is active on.</param>
public sealed record StoreInfo(string Id, string Code, string Name, string NameId, int SiteId);

/// <summary>Body of <c>POST /api/stores</c>.</summary>
/// <param name="Code">Store code.</param>
/// <param name="Name">Store name.</param>
public sealed record CreateStoreRequest(string? Code, string? Name);

/// <summary>A user of the central server; the password is write-only.</summary>
/// <param name="Username">Login name.</param>
/// <param name="Password">Only on create or change (a reset); never returned.</param>
/// <param name="Permissions">Granted permissions, e.g. <see cref="Permissions.EditSyncSettings"/>.</param>
public sealed record User(string Username, string? Password, IReadOnlyList<string> Permissions)
{
    /// <summary>Whether the user is disabled (cannot log in). Always answered; in a change, null keeps it as it is.</summary>
    public bool? IsDisabled { get; init; }
}

/// <summary>Permission names.</summary>
public static class Permissions
{
    /// <summary>"Edit sync settings": create, edit and delete sites, move stores, reset, unblock.</summary>
    public const string EditSyncSettings = "editSyncSettings";
}

/// <summary>A support contract from the support database.</summary>
/// <param name="FunderName">The funder.</param>
/// <param name="SiteName">The site the contract covers.</param>
/// <param name="LicenseCode">The mSupply licence code.</param>
/// <param name="LicensedUsers">Concurrent user licences.</param>
/// <param name="SupportStart">Start of support.</param>
/// <param name="SupportEnd">End of support.</param>
public sealed record SupportContract(
    string FunderName, string SiteName, string? LicenseCode, int? LicensedUsers, DateOnly? SupportStart, DateOnly? SupportEnd);

/// <summary>The Details tab of a site: support-contract fields (read-only except the funder).</summary>
/// <param name="FunderName">The site's funder, or null.</param>
/// <param name="LicenseCode">Licence code, or null.</param>
/// <param name="LicensedUsers">Licensed users, or null.</param>
/// <param name="SupportStart">Support start, or null.</param>
/// <param name="SupportEnd">Support end, or null.</param>
public sealed record SiteDetails(string? FunderName, string? LicenseCode, int? LicensedUsers, DateOnly? SupportStart, DateOnly? SupportEnd);

/// <summary>The result of a support-contract import.</summary>
/// <param name="Imported">Contracts added or replaced.</param>
/// <param name="UnknownSites">Site names of imported contracts that match no site (yet): imported, but shown to no site.</param>
public sealed record ImportResult(int Imported, IReadOnlyList<string> UnknownSites);

/// <summary>One line of the log across all sites.</summary>
/// <param name="SiteId">The site the line is about.</param>
/// <param name="SiteName">Its name, or null when the site has since been deleted.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Level"><c>info</c>, <c>warning</c> or <c>error</c>.</param>
/// <param name="Event">A stable event name, e.g. <c>auth_failed</c>.</param>
/// <param name="Message">What happened, for people; never a secret.</param>
/// <param name="User">The admin user who did it, or null for the site or the system.</param>
public sealed record FleetLogEntry(int SiteId, string? SiteName, DateTimeOffset At, string Level, string Event, string Message, string? User);

/// <summary>A page of the log across all sites, newest first.</summary>
/// <param name="Total">Lines matching the filters.</param>
/// <param name="Offset">Lines before this page.</param>
/// <param name="Limit">The page size.</param>
/// <param name="Entries">The lines of this page.</param>
public sealed record FleetLogPage(int Total, int Offset, int Limit, IReadOnlyList<FleetLogEntry> Entries);

/// <summary>A central record as <c>GET /api/records/{table}/{id}</c> returns it.</summary>
/// <param name="TableName">Legacy table name.</param>
/// <param name="RecordId">Record id.</param>
/// <param name="RecordData">Current data.</param>
public sealed record CentralRecord(string TableName, string RecordId, Json.RawJson RecordData);

/// <summary>The result of <c>POST /api/records</c> or <c>/api/records/delete</c>.</summary>
/// <param name="Changed">Records written (or deleted).</param>
/// <param name="ChangeLogRows">Change-log rows written.</param>
public sealed record RecordsResult(int Changed, int ChangeLogRows);

/// <summary>The <c>code</c> extension values of admin-API ProblemDetails.</summary>
public static class AdminErrorCodes
{
    /// <summary>The request body or a field is invalid.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>No such site, store, user or record.</summary>
    public const string NotFound = "not_found";

    /// <summary>Another site already has this name (case-insensitive).</summary>
    public const string DuplicateSiteName = "duplicate_site_name";

    /// <summary>A mobile site may have at most one store.</summary>
    public const string MobileSiteStoreLimit = "mobile_site_store_limit";

    /// <summary>Another site is already the Open mSupply central server.</summary>
    public const string OmSupplyCentralServerTaken = "om_central_server_taken";

    /// <summary>The site active on this datafile cannot be the Open mSupply central server.</summary>
    public const string OmSupplyCentralServerNotAllowed = "om_central_server_not_allowed";

    /// <summary>A site with stores cannot be deleted.</summary>
    public const string SiteHasStores = "site_has_stores";

    /// <summary>The site active on this datafile cannot be deleted.</summary>
    public const string SiteIsActiveOnThisDatafile = "site_is_active_on_this_datafile";

    /// <summary>The operation is not allowed on the central site.</summary>
    public const string NotAllowedOnCentralSite = "not_allowed_on_central_site";

    /// <summary>A store id in the edit does not exist.</summary>
    public const string UnknownStore = "unknown_store";

    /// <summary>A table name is not in the catalog of central data.</summary>
    public const string NotCentralData = "not_central_data";

    /// <summary>Another user has this username.</summary>
    public const string DuplicateUsername = "duplicate_username";

    /// <summary>A user cannot disable their own user.</summary>
    public const string CannotDisableSelf = "cannot_disable_self";

    /// <summary>The body is larger than accepted.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>Authentication is required.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>The user lacks the "Edit sync settings" permission.</summary>
    public const string Forbidden = "forbidden";
}
