using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Logs;
using SiteSync.Central.Sites;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>What a remote presents on every request: in headers for v5, in the body's <c>syncV5Settings</c> for v6.</summary>
public sealed record SiteCredentials(string? SiteName, string? Secret, string? HardwareId, string? Version, string? AppName, string? AppVersion);

/// <summary>The outcome: the authenticated site, or a refusal in the client's error vocabulary.</summary>
public sealed record SiteAuthResult(SiteEntity? Site, int Status, SyncError? Error)
{
    public static SiteAuthResult Ok(SiteEntity site) => new(site, StatusCodes.Status200OK, null);

    public static SiteAuthResult Refuse(int status, string code, string message, RawJson? data = null) =>
        new(null, status, new SyncError(code, message, data));
}

/// <summary>Authenticates a remote site. Order: version (409), credentials (401 name/password), blocked (401
/// <c>site_auth_timeout</c>), hardware id (401). Every refusal of a known site goes to its log; no secret does.</summary>
public sealed class SiteAuthenticator(
    SiteSyncDbContext db,
    CredentialCache credentials,
    SiteLog siteLog,
    IOptions<SyncOptions> syncOptions,
    SiteSyncMetrics metrics,
    TimeProvider time,
    ILogger<SiteAuthenticator> logger)
{
    /// <summary>The site the last successful call of this scope authenticated.</summary>
    public int? LastSiteId { get; private set; }

    public async Task<SiteAuthResult> AuthenticateAsync(SiteCredentials presented, CancellationToken cancellationToken)
    {
        var settings = syncOptions.Value;

        var versionText = presented.Version ?? "";
        var hasVersion = int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version);
        if (!hasVersion || version < settings.MinApiVersion || version > settings.MaxApiVersion)
        {
            var range = new ApiVersionRange(settings.MinApiVersion, settings.MaxApiVersion, hasVersion ? version : null);
            var data = new RawJson(System.Text.Json.JsonSerializer.Serialize(range, SiteSyncJsonContext.Default.ApiVersionRange));
            return SiteAuthResult.Refuse(StatusCodes.Status409Conflict, SyncErrorCodes.ApiVersionIncompatible,
                $"Sync API version '{Truncate(versionText)}' is not compatible: this server accepts {settings.MinApiVersion} to {settings.MaxApiVersion}.",
                data);
        }

        if (string.IsNullOrEmpty(presented.SiteName) || presented.Secret is null)
        {
            return SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteNameNotFound,
                "Credentials are required: HTTP Basic with the site name and the SHA-256 of its password.");
        }
        var secret = presented.Secret;
        var nameKey = presented.SiteName.Trim().ToLowerInvariant();
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.NameKey == nameKey, cancellationToken);
        if (site is null || site.IsActiveOnThisDatafile || site.PasswordHash is null)
        {
            // Same work as a wrong password, so the answer's timing does not tell which names exist.
            metrics.HashVerified("unknown");
            PasswordHashing.Verify(PasswordHashing.DummyHash, secret);
            Log.SyncAuthRefused(logger, null, SyncErrorCodes.SiteNameNotFound);
            return SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteNameNotFound, "No site has this name.");
        }
        if (site.IsBlocked)
        {
            await siteLog.WriteAsync(site.Id, SiteLogLevels.Warning, SiteLogEvents.AuthFailed,
                "Request refused: the site is blocked after too many failed password attempts.", cancellationToken);
            return Blocked();
        }

        if (!credentials.IsVerified("site", site.Id, site.CredentialVersion, secret))
        {
            // Reserve an attempt before the slow hash: however many requests race, at most MaxFailedLogins
            // verifications can run before the site is blocked, on any number of nodes.
            var reserved = await db.Sites
                .Where(s => s.Id == site.Id && !s.IsBlocked && s.FailedLoginCount < settings.MaxFailedLogins)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailedLoginCount, x => x.FailedLoginCount + 1), cancellationToken);
            if (reserved == 0)
            {
                return await BlockAsync(site.Id, settings.MaxFailedLogins, cancellationToken);
            }
            metrics.HashVerified("site");
            if (!PasswordHashing.Verify(site.PasswordHash, secret))
            {
                var failures = await db.Sites.AsNoTracking().Where(s => s.Id == site.Id).Select(s => s.FailedLoginCount).FirstAsync(cancellationToken);
                await siteLog.WriteAsync(site.Id, SiteLogLevels.Warning, SiteLogEvents.AuthFailed,
                    $"Wrong password (attempt {failures} of {settings.MaxFailedLogins}).", cancellationToken);
                Log.SyncAuthRefused(logger, site.Id, SyncErrorCodes.SiteIncorrectPassword);
                if (failures >= settings.MaxFailedLogins)
                {
                    return await BlockAsync(site.Id, settings.MaxFailedLogins, cancellationToken);
                }
                return SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteIncorrectPassword, "The password is not correct.");
            }
            await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FailedLoginCount, 0), cancellationToken);
            credentials.MarkVerified("site", site.Id, site.CredentialVersion, secret);
        }

        var hardwareId = presented.HardwareId?.Trim() ?? "";
        if (site.HardwareId is null && hardwareId.Length > 0)
        {
            // Claimed atomically: of two devices racing for a fresh site, exactly one wins.
            var claimed = await db.Sites.Where(s => s.Id == site.Id && s.HardwareId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.HardwareId, hardwareId), cancellationToken);
            if (claimed == 1)
            {
                FailPoints.Hit("auth.after_bind_before_commit");
                await siteLog.WriteAsync(site.Id, SiteLogLevels.Info, SiteLogEvents.HardwareIdClaimed,
                    $"Hardware id {Truncate(hardwareId)} claimed the site.", cancellationToken);
            }
            site.HardwareId = await db.Sites.AsNoTracking().Where(s => s.Id == site.Id).Select(s => s.HardwareId).FirstAsync(cancellationToken);
        }
        if (site.HardwareId is not null && !string.Equals(site.HardwareId, hardwareId, StringComparison.Ordinal))
        {
            // Logged and alerted, never counted towards blocking: a thief with the password must not lock the real site out.
            await siteLog.WriteAsync(site.Id, SiteLogLevels.Warning, SiteLogEvents.HardwareIdMismatch,
                $"Request from hardware id '{Truncate(hardwareId)}' refused: the site is bound to another device.", cancellationToken);
            Log.HardwareMismatch(logger, site.Id);
            return SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteIncorrectHardwareId, "Site hardware ID does not match");
        }

        var appName = Truncate(presented.AppName ?? "", 100);
        var appVersion = Truncate(presented.AppVersion ?? "", 50);
        var type = appName.Contains("Android", StringComparison.OrdinalIgnoreCase) ? Protocol.Admin.SiteTypes.Mobile
            : appName.Length > 0 ? Protocol.Admin.SiteTypes.Standalone : site.Type;
        var now = time.GetUtcNow();
        await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LastConnectedAt, now)
            .SetProperty(x => x.AppName, appName.Length > 0 ? appName : site.AppName)
            .SetProperty(x => x.AppVersion, appVersion.Length > 0 ? appVersion : site.AppVersion)
            .SetProperty(x => x.Type, type), cancellationToken);
        site.LastConnectedAt = now;
        LastSiteId = site.Id;
        return SiteAuthResult.Ok(site);
    }

    private async Task<SiteAuthResult> BlockAsync(int siteId, int maxFailures, CancellationToken cancellationToken)
    {
        var blocked = await db.Sites.Where(s => s.Id == siteId && !s.IsBlocked)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsBlocked, true).SetProperty(x => x.CredentialVersion, x => x.CredentialVersion + 1),
                cancellationToken);
        if (blocked == 1)
        {
            await siteLog.WriteAsync(siteId, SiteLogLevels.Error, SiteLogEvents.Blocked,
                $"Site blocked after {maxFailures} consecutive failed password attempts; an administrator must unblock it.", cancellationToken);
            Log.SiteBlocked(logger, siteId, maxFailures);
        }
        return Blocked();
    }

    private static SiteAuthResult Blocked() => SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteAuthTimeout,
        "The site is blocked after too many failed password attempts; an administrator must unblock it.");

    private static string Truncate(string text, int length = 64) => text.Length <= length ? text : text[..length];
}
