using System.Text.Json.Serialization;

namespace SiteSync.Protocol.Admin;

/// <summary>A sync site as the admin API shows it (DESIGN §4). The password is never part of it.</summary>
/// <param name="Id">Automatic, read-only id; 1 is the central server.</param>
/// <param name="Code">Free-text site code.</param>
/// <param name="Name">Unique site name, used to authenticate.</param>
/// <param name="Type">One of <see cref="SiteTypes"/>.</param>
/// <param name="DeviceType">Reported by the remote (display form), or null.</param>
/// <param name="AppVersion">Reported by the remote, or null.</param>
/// <param name="LastSyncedAt">End of the last complete sync, or null.</param>
/// <param name="LastConnectedAt">Last authenticated request, or null.</param>
/// <param name="Status"><c>active</c> or <c>blocked</c>.</param>
/// <param name="IsActiveOnThisDatafile">True for the central server's own site only.</param>
/// <param name="IsOmSupplyCentralServer">Whether this site is the Open mSupply central server.</param>
/// <param name="OmSupplyCentralServerUrl">Its URL, or null.</param>
/// <param name="HardwareId">The device bound to the site, or null.</param>
/// <param name="InitialisationStatus"><c>new</c>, <c>started</c>, <c>completed</c> or <c>error</c>.</param>
/// <param name="Stores">Stores active on the site.</param>
/// <param name="FunderName">The funder: the one set on the site, else the one of its support contract, or null.</param>
/// <param name="Health">One of <see cref="SiteHealths"/>, derived by central from the site's state and log.</param>
/// <param name="HealthReason">Why the site has that health, for people.</param>
/// <param name="LastError">The site's latest authentication refusal or error, or null.</param>
public sealed record Site(
    int Id,
    string Code,
    string Name,
    string Type,
    string? DeviceType,
    string? AppVersion,
    DateTimeOffset? LastSyncedAt,
    DateTimeOffset? LastConnectedAt,
    string Status,
    bool IsActiveOnThisDatafile,
    bool IsOmSupplyCentralServer,
    string? OmSupplyCentralServerUrl,
    string? HardwareId,
    string InitialisationStatus,
    IReadOnlyList<StoreRef> Stores,
    string? FunderName,
    string Health,
    string HealthReason,
    SiteError? LastError)
{
    /// <summary>Cautions about the edit just saved (rename, password change, store moved away); absent when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SiteWarning>? Warnings { get; init; }
}

/// <summary>A store as listed inside a site.</summary>
/// <param name="Id">Store id (the legacy <c>store.ID</c>).</param>
/// <param name="Code">Store code.</param>
/// <param name="Name">Store name.</param>
public sealed record StoreRef(string Id, string Code, string Name);

/// <summary>A caution about an edit of a site that has synced.</summary>
/// <param name="Code">One of <see cref="SiteWarningCodes"/>.</param>
/// <param name="Message">The caution for people.</param>
public sealed record SiteWarning(string Code, string Message);

/// <summary>Codes of <see cref="SiteWarning"/>.</summary>
public static class SiteWarningCodes
{
    /// <summary>A site that has synced was renamed (rule 6).</summary>
    public const string Renamed = "site_renamed";

    /// <summary>The password of a site that has synced was changed (rule 7).</summary>
    public const string PasswordChanged = "password_changed";

    /// <summary>A store was moved away from a remote site that has synced it (rule 14).</summary>
    public const string StoreMovedAway = "store_moved_away";
}

/// <summary>Values of <see cref="Site.Type"/>.</summary>
public static class SiteTypes
{
    /// <summary>Desktop or server.</summary>
    public const string Standalone = "standalone";

    /// <summary>Mobile: at most one store.</summary>
    public const string Mobile = "mobile";
}

/// <summary>Values of <see cref="Site.Status"/>.</summary>
public static class SiteStatuses
{
    /// <summary>The site may sync.</summary>
    public const string Active = "active";

    /// <summary>Too many failed password attempts; an admin must unblock.</summary>
    public const string Blocked = "blocked";
}

/// <summary>The site list: <c>shown</c> of <c>total</c> sites, central first, then in the order asked (by name by default).</summary>
/// <param name="Shown">Sites matching the filters.</param>
/// <param name="Total">Sites in total.</param>
/// <param name="Sites">The matching sites, or the page of them asked for (<paramref name="Offset"/>, <paramref name="Limit"/>).</param>
/// <param name="Counts">Sites per health among those matching every filter but the health filter.</param>
/// <param name="Offset">How many matching sites come before this page.</param>
/// <param name="Limit">The page size asked for, or null for all.</param>
public sealed record SiteList(int Shown, int Total, IReadOnlyList<Site> Sites, HealthCounts Counts, int Offset, int? Limit);

/// <summary>How many sites are in each health state.</summary>
/// <param name="Ok">Synced within the stale threshold, no failure since.</param>
/// <param name="Stale">No successful sync for longer than the stale threshold.</param>
/// <param name="Failing">The last sync cycle failed, or the last authentications did.</param>
/// <param name="Blocked">Blocked after too many failed password attempts.</param>
/// <param name="NeverSynced">Never completed a sync.</param>
public sealed record HealthCounts(int Ok, int Stale, int Failing, int Blocked, int NeverSynced);

/// <summary>A site's latest failure as central logged it.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Event">The site-log event, e.g. <c>auth_failed</c>.</param>
/// <param name="Message">What happened, for people; never a secret.</param>
public sealed record SiteError(DateTimeOffset At, string Event, string Message);

/// <summary>Values of <see cref="Site.Health"/>, from the worst to the best.</summary>
public static class SiteHealths
{
    /// <summary>Blocked after too many failed password attempts: an administrator must unblock it.</summary>
    public const string Blocked = "blocked";

    /// <summary>The last sync cycle failed, or the last authentications did (the reason says which).</summary>
    public const string Failing = "failing";

    /// <summary>No successful sync for longer than the configured threshold (default 24 h).</summary>
    public const string Stale = "stale";

    /// <summary>Never completed a sync.</summary>
    public const string NeverSynced = "never_synced";

    /// <summary>Synced recently, nothing failing.</summary>
    public const string Ok = "ok";

    /// <summary>Every value, from the worst to the best.</summary>
    public static IReadOnlyList<string> All { get; } = [Blocked, Failing, Stale, NeverSynced, Ok];
}

/// <summary>A whole edit of a site (fields and store list together), saved all or nothing (rule 15).</summary>
/// <param name="Code">Site code; empty when omitted.</param>
/// <param name="Name">Required unique name.</param>
/// <param name="Password">New password, or null to keep the current one (required on create).</param>
/// <param name="Type">One of <see cref="SiteTypes"/>; standalone when omitted.</param>
/// <param name="StoreIds">The complete list of stores that should be active on the site; null keeps the current list.</param>
/// <param name="IsOmSupplyCentralServer">Whether the site is the Open mSupply central server.</param>
/// <param name="OmSupplyCentralServerUrl">Its URL (required when the flag is set).</param>
/// <param name="FunderName">The funder name (from the support database).</param>
public sealed record SiteEdit(
    string? Code,
    string? Name,
    string? Password,
    string? Type,
    IReadOnlyList<string>? StoreIds,
    bool? IsOmSupplyCentralServer,
    string? OmSupplyCentralServerUrl,
    string? FunderName);
