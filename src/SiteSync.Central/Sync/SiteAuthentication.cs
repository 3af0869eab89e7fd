using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Logs;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

public static class SiteAuthentication
{
    private const string FailureKey = "sitesync.sync-failure";

    /// <summary>The sync v5 site scheme: version range, Basic (site name + SHA-256 hex), blocking, hardware id.</summary>
    public static AuthenticationBuilder AddSiteScheme(this AuthenticationBuilder builder)
    {
        builder.Services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return builder.AddScheme<AuthenticationSchemeOptions, SiteHandler>(Policies.SiteScheme, null);
    }

    /// <summary>Writes a sync error in the client's envelope.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, SyncError error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new SyncErrorResponse(error), SiteSyncJsonContext.Default.SyncErrorResponse);
    }

    private sealed record Failure(int Status, SyncError Error);

    /// <summary>Authenticates every sync request. Order: version (409), credentials (401 name/password), blocked (401
    /// <c>site_auth_timeout</c>), hardware id (401). Every refusal of a known site goes to its log.</summary>
    private sealed class SiteHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory loggerFactory,
        UrlEncoder encoder,
        SiteSyncDbContext db,
        CredentialCache credentials,
        SiteLog siteLog,
        IOptions<SyncOptions> syncOptions,
        TimeProvider time)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
    {
        private readonly ILogger _log = loggerFactory.CreateLogger("SiteSync.Central.Sync.SiteAuthentication");

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var settings = syncOptions.Value;
            var cancellationToken = Context.RequestAborted;

            var versionText = Request.Headers[SyncHeaders.SyncVersion].ToString();
            var hasVersion = int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version);
            if (!hasVersion || version < settings.MinApiVersion || version > settings.MaxApiVersion)
            {
                var range = new ApiVersionRange(settings.MinApiVersion, settings.MaxApiVersion, hasVersion ? version : null);
                var data = new RawJson(System.Text.Json.JsonSerializer.Serialize(range, SiteSyncJsonContext.Default.ApiVersionRange));
                return Fail(StatusCodes.Status409Conflict, SyncErrorCodes.ApiVersionIncompatible,
                    $"Sync API version '{Truncate(versionText)}' is not compatible: this server accepts {settings.MinApiVersion} to {settings.MaxApiVersion}.",
                    data);
            }

            if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
                || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null
                || !AuthServiceCollectionExtensions.TryDecode(header.Parameter, out var siteName, out var secret))
            {
                return Fail(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteNameNotFound,
                    "Credentials are required: HTTP Basic with the site name and the SHA-256 of its password.");
            }

            var nameKey = siteName.Trim().ToLowerInvariant();
            var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.NameKey == nameKey, cancellationToken);
            if (site is null || site.IsActiveOnThisDatafile || site.PasswordHash is null)
            {
                // Same work as a wrong password, so the answer's timing does not tell which names exist.
                PasswordHashing.Verify(PasswordHashing.DummyHash, secret);
                Log.SyncAuthRefused(_log, null, SyncErrorCodes.SiteNameNotFound);
                return Fail(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteNameNotFound, "No site has this name.");
            }
            if (site.IsBlocked)
            {
                await siteLog.WriteAsync(site.Id, SiteLogLevels.Warning, SiteLogEvents.AuthFailed,
                    "Request refused: the site is blocked after too many failed password attempts.", cancellationToken);
                return Fail(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteAuthTimeout,
                    "The site is blocked after too many failed password attempts; an administrator must unblock it.");
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
                if (!PasswordHashing.Verify(site.PasswordHash, secret))
                {
                    var failures = site.FailedLoginCount + 1;
                    await siteLog.WriteAsync(site.Id, SiteLogLevels.Warning, SiteLogEvents.AuthFailed,
                        $"Wrong password (attempt {failures} of {settings.MaxFailedLogins}).", cancellationToken);
                    Log.SyncAuthRefused(_log, site.Id, SyncErrorCodes.SiteIncorrectPassword);
                    var current = await db.Sites.AsNoTracking().Where(s => s.Id == site.Id).Select(s => s.FailedLoginCount).FirstAsync(cancellationToken);
                    if (current >= settings.MaxFailedLogins)
                    {
                        return await BlockAsync(site.Id, settings.MaxFailedLogins, cancellationToken);
                    }
                    return Fail(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteIncorrectPassword, "The password is not correct.");
                }
                await db.Sites.Where(s => s.Id == site.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailedLoginCount, 0), cancellationToken);
                credentials.MarkVerified("site", site.Id, site.CredentialVersion, secret);
            }

            var hardwareId = Request.Headers[SyncHeaders.HardwareId].ToString().Trim();
            if (site.HardwareId is null && hardwareId.Length > 0)
            {
                // Claimed atomically: of two devices racing for a fresh site, exactly one wins.
                var claimed = await db.Sites.Where(s => s.Id == site.Id && s.HardwareId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.HardwareId, hardwareId), cancellationToken);
                if (claimed == 1)
                {
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
                Log.HardwareMismatch(_log, site.Id);
                return Fail(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteIncorrectHardwareId, "Site hardware ID does not match");
            }

            var appName = Truncate(Request.Headers[SyncHeaders.AppName].ToString(), 100);
            var appVersion = Truncate(Request.Headers[SyncHeaders.AppVersion].ToString(), 50);
            var type = appName.Contains("Android", StringComparison.OrdinalIgnoreCase) ? Protocol.Admin.SiteTypes.Mobile
                : appName.Length > 0 ? Protocol.Admin.SiteTypes.Standalone : site.Type;
            var now = time.GetUtcNow();
            await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LastConnectedAt, now)
                .SetProperty(x => x.AppName, appName.Length > 0 ? appName : site.AppName)
                .SetProperty(x => x.AppVersion, appVersion.Length > 0 ? appVersion : site.AppVersion)
                .SetProperty(x => x.Type, type), cancellationToken);

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, site.Name), new Claim(Policies.SiteIdClaim, site.Id.ToString(CultureInfo.InvariantCulture))],
                Policies.SiteScheme);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Policies.SiteScheme));
        }

        private async Task<AuthenticateResult> BlockAsync(int siteId, int maxFailures, CancellationToken cancellationToken)
        {
            var blocked = await db.Sites.Where(s => s.Id == siteId && !s.IsBlocked)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsBlocked, true).SetProperty(x => x.CredentialVersion, x => x.CredentialVersion + 1),
                    cancellationToken);
            if (blocked == 1)
            {
                await siteLog.WriteAsync(siteId, SiteLogLevels.Error, SiteLogEvents.Blocked,
                    $"Site blocked after {maxFailures} consecutive failed password attempts; an administrator must unblock it.", cancellationToken);
                Log.SiteBlocked(_log, siteId, maxFailures);
            }
            return Fail(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteAuthTimeout,
                "The site is blocked after too many failed password attempts; an administrator must unblock it.");
        }

        private AuthenticateResult Fail(int status, string code, string message, RawJson? data = null)
        {
            Context.Items[FailureKey] = new Failure(status, new SyncError(code, message, data));
            return AuthenticateResult.Fail(code);
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            var failure = Context.Items[FailureKey] as Failure
                ?? new Failure(StatusCodes.Status401Unauthorized, new SyncError(SyncErrorCodes.SiteNameNotFound, "Authentication is required."));
            return WriteErrorAsync(Context, failure.Status, failure.Error);
        }

        private static string Truncate(string text, int length = 64) => text.Length <= length ? text : text[..length];
    }
}
