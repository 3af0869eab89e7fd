using System.Globalization;
using System.Security.Claims;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Auth;

public static class ClaimsPrincipalExtensions
{
    public static string? GetUsername(this ClaimsPrincipal principal) => principal.Identity?.Name;

    public static bool CanEditSyncSettings(this ClaimsPrincipal principal) =>
        principal.HasClaim(Policies.PermissionClaim, Permissions.EditSyncSettings);

    public static int GetSiteId(this ClaimsPrincipal principal) =>
        int.Parse(principal.FindFirstValue(Policies.SiteIdClaim) ?? throw new InvalidOperationException("Not a site principal."),
            CultureInfo.InvariantCulture);
}
