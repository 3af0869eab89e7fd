using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Users;
using SiteSync.Protocol.Sync;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Admin authentication (HTTP Basic for scripts, a cookie session for the UI) and the users' policies; the
    /// site scheme and policy of the sync API are the sync feature's (<c>AddSync</c>).</summary>
    public static IHostApplicationBuilder AddSiteSyncAuth(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSiteSyncAuth)))
        {
            return builder;
        }
        builder.AddUsers().AddSiteSyncMetrics();

        builder.Services.AddAuthentication(Policies.UserScheme)
            .AddPolicyScheme(Policies.UserScheme, "Basic or cookie", options =>
                // The default scheme runs on every request: a sync request's Basic credentials are a site's, so they must
                // never reach the user handler (it would spend a PBKDF2 on a user that does not exist, every request).
                options.ForwardDefaultSelector = context =>
                    context.Request.Path.StartsWithSegments(SyncRoutes.V5Prefix) ? Policies.SiteScheme
                    : Sync.SyncPaths.IsV4(context.Request) ? Policies.SiteV4Scheme
                    : context.Request.Path.StartsWithSegments(SyncRoutes.V6Prefix) ? Policies.CookieScheme
                    : context.Request.Headers.Authorization.Count > 0 ? Policies.BasicScheme : Policies.CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, UserBasicHandler>(Policies.BasicScheme, null)
            .AddCookie(Policies.CookieScheme, options =>
            {
                options.Cookie.Name = "sitesync.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the client used https, also behind a proxy that terminates TLS (ForwardedHeadersSetup).
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.AccessDeniedPath = "/forbidden";
                options.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateCookieAsync,
                    // The JSON API answers 401/403; only pages redirect to the login form.
                    OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden),
                };
            });

        // The antiforgery cookie's default is never secure; it follows the request like the session cookie.
        builder.Services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(options =>
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Viewer, policy => policy.AddAuthenticationSchemes(Policies.UserScheme).RequireAuthenticatedUser())
            .AddPolicy(Policies.Admin, policy => policy.AddAuthenticationSchemes(Policies.UserScheme).RequireAuthenticatedUser()
                .RequireClaim(Policies.PermissionClaim, Permissions.EditSyncSettings))
            .AddPolicy(Policies.AdminApi, policy => policy.AddAuthenticationSchemes(Policies.BasicScheme).RequireAuthenticatedUser()
                .RequireClaim(Policies.PermissionClaim, Permissions.EditSyncSettings));
        return builder;
    }

    /// <summary>The cache of verified credentials, shared by user and site authentication (a PBKDF2 per request would cost
    /// more than the request).</summary>
    public static IHostApplicationBuilder AddCredentialCache(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddCredentialCache)))
        {
            return builder;
        }
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<CredentialCache>();
        return builder;
    }

    private static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserService>();
        if (context.Principal is null || !await users.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Policies.CookieScheme);
        }
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>HTTP Basic with a central user's name and password, for scripts.</summary>
    private sealed class UserBasicHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserService users,
        SiteSyncMetrics metrics)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
                || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            {
                return AuthenticateResult.NoResult();
            }
            if (!TryDecode(header.Parameter, out var username, out var password))
            {
                metrics.AuthFailed("user", "malformed_credentials");
                return AuthenticateResult.Fail("Malformed Basic credentials.");
            }
            var principal = await users.AuthenticateAsync(username, password, Policies.BasicScheme, Context.RequestAborted);
            if (principal is null)
            {
                metrics.AuthFailed("user", "invalid_credentials");
                return AuthenticateResult.Fail("Invalid username or password.");
            }
            return AuthenticateResult.Success(new AuthenticationTicket(principal, Policies.BasicScheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Basic realm=\"SiteSync\", charset=\"UTF-8\"";
            return Task.CompletedTask;
        }
    }

    /// <summary>Decodes <c>base64(name:secret)</c>; the name may not contain ':', the secret may.</summary>
    internal static bool TryDecode(string parameter, out string username, out string secret)
    {
        username = secret = "";
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return false;
            }
            username = text[..colon];
            secret = text[(colon + 1)..];
            // A name or secret with control characters (NUL among them) belongs to no one: malformed, not looked up.
            return Storage.StorableText.IsPrintable(username) && Storage.StorableText.IsPrintable(secret);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
