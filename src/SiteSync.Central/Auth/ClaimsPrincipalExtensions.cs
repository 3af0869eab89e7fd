using System.Globalization;
using System.Security.Claims;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Auth;

public static class ClaimsPrincipalExtensions
{
    public static string? GetUsername(this ClaimsPrincipal principal) => principal.Identity?.Name;

    /// <summary>The signed-in user's name, where a policy already required a signed-in user.</summary>
    public static string RequireUsername(this ClaimsPrincipal principal) =>
        principal.Identity?.Name ?? throw new InvalidOperationException("Not a signed-in user.");

    public static bool CanEditSyncSettings(this ClaimsPrincipal principal) =>
        principal.HasClaim(Policies.PermissionClaim, Permissions.EditSyncSettings);

    public static int GetSiteId(this ClaimsPrincipal principal) =>
        int.Parse(principal.FindFirstValue(Policies.SiteIdClaim) ?? throw new InvalidOperationException("Not a site principal."),
            CultureInfo.InvariantCulture);
}
