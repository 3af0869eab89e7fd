using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Logs;
using SiteSync.Central.Sites;
using SiteSync.Central.Storage;
using Microsoft.Extensions.Caching.Memory;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>What a remote presents on every request: in headers for v5, in the body's <c>syncV5Settings</c> for v6.</summary>
public sealed record SiteCredentials(string? SiteName, string? Secret, string? HardwareId, string? Version, string? AppName, string? AppVersion)
{
    /// <summary>A legacy v4 call (<c>/api/v4/…</c>): the client sends HTTP Basic and nothing else, so there is no version to
    /// check and, when no hardware id is presented, no device to compare (the password still counts towards blocking).</summary>
    public bool IsV4 { get; init; }

    /// <summary>The credentials a v6 body carries (<c>syncV5Settings</c>).</summary>
    public static SiteCredentials From(SyncV5Settings settings) =>
        new(settings.Username, settings.PasswordSha256, settings.SiteUuid, settings.SyncVersion, settings.AppName, settings.AppVersion);
}

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
    BlockedRefusals blockedRefusals,
    TimeProvider time,
    ILogger<SiteAuthenticator> logger)
{
    private const int SiteNameMaxLength = 200;
    private const int HardwareIdMaxLength = 200;

    /// <summary>The site the last successful call of this scope authenticated.</summary>
    public int? LastSiteId { get; private set; }

    public async Task<SiteAuthResult> AuthenticateAsync(SiteCredentials presented, CancellationToken cancellationToken)
    {
        var settings = syncOptions.Value;

        var versionText = presented.Version ?? "";
        var hasVersion = int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version);
        if (!presented.IsV4 && (!hasVersion || version < settings.MinApiVersion || version > settings.MaxApiVersion))
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
        // A name no site can have (rule 6: printable, no ':') is unknown without asking the database.
        var site = nameKey.Length <= SiteNameMaxLength && StorableText.IsPrintable(nameKey)
            ? await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.NameKey == nameKey, cancellationToken)
            : null;
        if (site is null || site.IsActiveOnThisDatafile || site.PasswordHash is null)
        {
            // No slow hash and no write: a flood of made-up names must cost almost nothing. Hashing to hide which names exist
            // would buy nothing either, since the protocol's own error code (site_name_not_found) already tells.
            Log.SyncUnknownSite(logger);
            return SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteNameNotFound, "No site has this name.");
        }
        if (site.IsBlocked)
        {
            // One log line per burst, not one per request: a guesser hammering a blocked site must not fill the log or the disk.
            if (blockedRefusals.ShouldLog(site.Id))
            {
                await siteLog.WriteAsync(site.Id, SiteLogLevels.Warning, SiteLogEvents.AuthFailed,
                    "Requests refused: the site is blocked after too many failed password attempts (further refusals in the next 10 minutes are not logged).",
                    cancellationToken);
            }
            return Blocked();
        }

        var attempt = credentials.IsVerified("site", site.Id, site.CredentialVersion, secret)
            ? Attempt.AlreadyVerified
            : await ReserveAttemptAsync(site, secret, settings.MaxFailedLogins, cancellationToken);
        if (attempt == Attempt.Blocked)
        {
            return Blocked();
        }
        if (attempt == Attempt.Exhausted)
        {
            return await BlockAsync(site.Id, settings.MaxFailedLogins, cancellationToken);
        }
        if (attempt == Attempt.Reserved)
        {
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
        if (presented.IsV4 && hardwareId.Length == 0)
        {
            LastSiteId = site.Id;
            return SiteAuthResult.Ok(site);
        }
        if (hardwareId.Length > HardwareIdMaxLength || !StorableText.IsPrintable(hardwareId))
        {
            return SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteIncorrectHardwareId,
                $"The hardware id must be 1 to {HardwareIdMaxLength} printable characters.");
        }
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
        var (newAppName, newAppVersion) = (appName.Length > 0 ? appName : site.AppName, appVersion.Length > 0 ? appVersion : site.AppVersion);
        // Rule 11 to the second is not worth a write per request: an idle site writes its last connection at most every
        // IdleWriteInterval, and at once after a refusal (fleet health counts refusals since the last success).
        if (site.LastConnectedAt is not { } last || now - last >= settings.IdleWriteInterval || now < last
            || (site.LastAuthFailureAt is { } refused && refused >= last)
            || newAppName != site.AppName || newAppVersion != site.AppVersion || type != site.Type)
        {
            await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LastConnectedAt, now)
                .SetProperty(x => x.AppName, newAppName)
                .SetProperty(x => x.AppVersion, newAppVersion)
                .SetProperty(x => x.Type, type), cancellationToken);
            site.LastConnectedAt = now;
        }
        LastSiteId = site.Id;
        return SiteAuthResult.Ok(site);
    }

    private enum Attempt { AlreadyVerified, Reserved, Blocked, Exhausted }

    /// <summary>How long a request waits for a verification slot that other requests of the same site hold.</summary>
    private static readonly TimeSpan ReservationWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReservationPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Reserves a failed attempt before the slow hash (a success gives it back): however many requests race, at most
    /// MaxFailedLogins verifications run before the site is blocked, on any number of nodes.</summary>
    /// <remarks>All slots taken does not mean they failed: concurrent first logins with the right password hold them while they
    /// hash (fifty devices starting at once, F8). Such a request waits for the slots to come back, or for one of them to have
    /// verified this very secret (then it needs no hash), or for the site to be blocked by real failures. Only slots that stay
    /// taken for <see cref="ReservationWait"/> (failures whose block was lost in a crash) block the site.</remarks>
    private async Task<Attempt> ReserveAttemptAsync(SiteEntity site, string secret, int maxFailures, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ReservationWait;
        while (true)
        {
            var reserved = await db.Sites
                .Where(s => s.Id == site.Id && !s.IsBlocked && s.FailedLoginCount < maxFailures)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailedLoginCount, x => x.FailedLoginCount + 1), cancellationToken);
            if (reserved == 1)
            {
                return Attempt.Reserved;
            }
            if (credentials.IsVerified("site", site.Id, site.CredentialVersion, secret))
            {
                return Attempt.AlreadyVerified;
            }
            if (await db.Sites.AsNoTracking().Where(s => s.Id == site.Id).Select(s => s.IsBlocked).FirstAsync(cancellationToken))
            {
                return Attempt.Blocked;
            }
            if (time.GetUtcNow() >= deadline)
            {
                return Attempt.Exhausted;
            }
            await Task.Delay(ReservationPoll, time, cancellationToken);
        }
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
            metrics.SiteBlocked();
        }
        return Blocked();
    }

    private static SiteAuthResult Blocked() => SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteAuthTimeout,
        "The site is blocked after too many failed password attempts; an administrator must unblock it.");

    private static string Truncate(string text, int length = 64) => StorableText.ForDisplay(text, length);
}

/// <summary>Remembers, per node, that a blocked site's refusal was logged recently, so a burst of requests writes one line.</summary>
public sealed class BlockedRefusals(IMemoryCache cache, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>True for the first refusal of a site in each window.</summary>
    public bool ShouldLog(int siteId)
    {
        var key = $"blocked-refusal-logged:{siteId}";
        if (cache.TryGetValue(key, out _))
        {
            return false;
        }
        cache.Set(key, true, time.GetUtcNow() + Window);
        return true;
    }
}
