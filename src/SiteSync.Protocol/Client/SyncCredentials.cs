using System.Security.Cryptography;
using System.Text;

namespace SiteSync.Protocol.Client;

/// <summary>What a remote site presents on every sync v5 request (reference §1.2, §1.3).</summary>
/// <param name="SiteName">The site name, exactly as registered on central (the Basic user name).</param>
/// <param name="PasswordSha256">The lowercase hex SHA-256 of the site password (the Basic password); never the plain password.</param>
/// <param name="HardwareId">The device's hardware id, sent as <c>msupply-site-uuid</c>.</param>
/// <param name="AppName">The <c>app-name</c> header, e.g. <see cref="SiteSyncRemoteAppName"/>.</param>
/// <param name="AppVersion">The <c>app-version</c> header, <c>major.minor.patch</c>.</param>
public sealed record SyncCredentials(string SiteName, string PasswordSha256, string HardwareId, string AppName, string AppVersion)
{
    /// <summary>The <c>app-name</c> SiteSync's own remote sends; central shows it as the device type.</summary>
    public const string SiteSyncRemoteAppName = "SiteSync Remote";

    /// <summary>Hashes a plain password the way the protocol sends it: lowercase hex of its UTF-8 SHA-256.</summary>
    /// <param name="password">The plain password.</param>
    /// <returns>64 lowercase hex characters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public static string HashPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
    }

    /// <summary>Keeps the password hash out of logs and exception messages.</summary>
    /// <returns>The record without its secret.</returns>
    public override string ToString() =>
        $"SyncCredentials {{ SiteName = {SiteName}, HardwareId = {HardwareId}, AppName = {AppName}, AppVersion = {AppVersion} }}";
}
