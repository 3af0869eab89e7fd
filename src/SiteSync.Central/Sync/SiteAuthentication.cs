using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

public static class SiteAuthentication
{
    private const string FailureKey = "sitesync.sync-failure";
    private const string SiteKey = "sitesync.site";

    /// <summary>The site row as authentication read it at the start of this request, so endpoints need not read it again.</summary>
    public static Sites.SiteEntity? AuthenticatedSite(HttpContext context) => context.Items[SiteKey] as Sites.SiteEntity;

    /// <summary><see cref="AuthenticatedSite"/> on an endpoint the site policy guards, where it is always set.</summary>
    public static Sites.SiteEntity RequireSite(HttpContext context) =>
        AuthenticatedSite(context) ?? throw new InvalidOperationException("The endpoint is not behind the site authentication scheme.");

    /// <summary>The sync v5 site scheme: reads the headers and asks <see cref="SiteAuthenticator"/> (registered by
    /// <see cref="SyncServiceCollectionExtensions.AddSync"/>, with the scheme).</summary>
    public static AuthenticationBuilder AddSiteScheme(this AuthenticationBuilder builder) =>
        builder.AddScheme<SiteSchemeOptions, SiteHandler>(Policies.SiteScheme, null)
            .AddScheme<SiteSchemeOptions, SiteHandler>(Policies.SiteV4Scheme, options => options.IsV4 = true);

    /// <summary>The scheme's one setting: whether it serves the legacy v4 calls (Basic only, see <see cref="SiteCredentials.IsV4"/>).</summary>
    public sealed class SiteSchemeOptions : AuthenticationSchemeOptions
    {
        public bool IsV4 { get; set; }
    }

    /// <summary>Writes a sync error in the client's envelope.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, SyncError error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new SyncErrorResponse(error), SiteSyncJsonContext.Default.SyncErrorResponse);
    }

    /// <summary>Reads the v5 headers into credentials; the Basic password is the lowercase SHA-256 hex of the site password.</summary>
    public static SiteCredentials ReadHeaders(HttpRequest request)
    {
        string? name = null, secret = null;
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is not null
            && AuthServiceCollectionExtensions.TryDecode(header.Parameter, out var decodedName, out var decodedSecret))
        {
            (name, secret) = (decodedName, decodedSecret);
        }
        return new SiteCredentials(name, secret, request.Headers[SyncHeaders.HardwareId].ToString(),
            request.Headers[SyncHeaders.SyncVersion].ToString(), request.Headers[SyncHeaders.AppName].ToString(),
            request.Headers[SyncHeaders.AppVersion].ToString());
    }

    private sealed class SiteHandler(
        IOptionsMonitor<SiteSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, SiteAuthenticator authenticator,
        SiteSyncMetrics metrics, IOptions<SyncOptions> syncOptions, TimeProvider time)
        : AuthenticationHandler<SiteSchemeOptions>(options, loggerFactory, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var result = await authenticator.AuthenticateAsync(ReadHeaders(Request) with { IsV4 = Options.IsV4 }, Context.RequestAborted);
            if (result.Site is not { } site)
            {
                Context.Items[FailureKey] = result;
                metrics.AuthFailed("site", result.Error!.Code);
                return AuthenticateResult.Fail(result.Error!.Code);
            }
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, site.Name), new Claim(Policies.SiteIdClaim, site.Id.ToString(CultureInfo.InvariantCulture))],
                Policies.SiteScheme);
            Context.Items[SiteKey] = site;
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Policies.SiteScheme));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            var failure = Context.Items[FailureKey] as SiteAuthResult
                ?? SiteAuthResult.Refuse(StatusCodes.Status401Unauthorized, SyncErrorCodes.SiteNameNotFound, "Authentication is required.");
            if (failure.Status == StatusCodes.Status401Unauthorized && syncOptions.Value.RefusalDelay > TimeSpan.Zero)
            {
                // A tarpit for guessers: the refusal costs central almost nothing, but its sender waits for it.
                try
                {
                    await Task.Delay(syncOptions.Value.RefusalDelay, time, Context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            await WriteErrorAsync(Context, failure.Status, failure.Error!);
        }
    }
}
