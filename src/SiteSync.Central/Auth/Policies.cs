namespace SiteSync.Central.Auth;

/// <summary>Authorization policy and scheme names, applied on route groups.</summary>
public static class Policies
{
    /// <summary>Any logged-in central user: may view sites (rule 3).</summary>
    public const string Viewer = "viewer";

    /// <summary>A user with "Edit sync settings": may change anything (rule 3).</summary>
    public const string Admin = "admin";

    /// <summary>"Edit sync settings" over HTTP Basic only: the JSON API is not reachable with a browser session.</summary>
    public const string AdminApi = "admin-api";

    /// <summary>A remote site authenticated by the sync v5 rules.</summary>
    public const string Site = "site";

    /// <summary>A remote site calling the legacy v4 patient endpoints: its sync credentials, without the v5 headers.</summary>
    public const string SiteV4 = "site-v4";

    public const string UserScheme = "user";
    public const string BasicScheme = "basic";
    public const string CookieScheme = "cookie";
    public const string SiteScheme = "sync-site";
    public const string SiteV4Scheme = "sync-site-v4";

    public const string PermissionClaim = "permission";
    public const string CredentialVersionClaim = "credential_version";
    public const string UserIdClaim = "user_id";
    public const string SiteIdClaim = "site_id";
}
