using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>Which requests belong to the sync surfaces (v5, v6 and the legacy v4 patient calls): they carry a site's
/// credentials, never a user's, and answer in the sync error envelope.</summary>
public static class SyncPaths
{
    public static bool IsSync(HttpRequest request) =>
        request.Path.StartsWithSegments(SyncRoutes.V5Prefix) || request.Path.StartsWithSegments(SyncRoutes.V6Prefix) || IsV4(request) || IsV6Link(request);

    public static bool IsV4(HttpRequest request) => request.Path.StartsWithSegments(PatientV4Routes.Prefix);

    /// <summary>The v6 twin of the v4 link (<c>/central/name-store-join</c>): credentials in its body, like the rest of v6.</summary>
    public static bool IsV6Link(HttpRequest request) => request.Path.StartsWithSegments(PatientV4Routes.V6NameStoreJoin);
}
