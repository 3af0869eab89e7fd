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
/// <param name="FunderName">The funder, from the support database, or null.</param>
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
    string? FunderName)
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

/// <summary>The site list: <c>shown</c> of <c>total</c> sites, central first, then by name.</summary>
/// <param name="Shown">Sites matching the search.</param>
/// <param name="Total">Sites in total.</param>
/// <param name="Sites">The matching sites.</param>
public sealed record SiteList(int Shown, int Total, IReadOnlyList<Site> Sites);

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
