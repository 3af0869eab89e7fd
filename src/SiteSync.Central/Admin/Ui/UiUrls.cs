namespace SiteSync.Central.Admin.Ui;

/// <summary>URL helpers of the UI.</summary>
public static class UiUrls
{
    /// <summary>The return URL after login, only if it stays on this server (no open redirect through <c>//host</c> or
    /// <c>/\host</c>); otherwise the site list.</summary>
    public static string LocalOrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(char.IsControl)
            ? url
            : "/";
}
