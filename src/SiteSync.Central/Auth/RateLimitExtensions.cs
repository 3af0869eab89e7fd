using System.Globalization;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SiteSync.Central.Diagnostics;

namespace SiteSync.Central.Auth;

public static class RateLimitExtensions
{
    public const string TooManyRequestsCode = "too_many_requests";
    private const string LoginPath = "/login";
    private const string UsernameItem = "sitesync.rate-limit.username";

    /// <summary>ASP.NET Core's rate limiter in front of authentication: a token bucket per client address and one per user name,
    /// for posts of the login form and for requests with HTTP Basic credentials outside the sync API. A refused attempt gets
    /// 429 with <c>Retry-After</c> and never reaches the password hash.</summary>
    public static IHostApplicationBuilder AddSiteSyncRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            var settings = limits.Value;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(
                    KindOf(context), context.Connection.RemoteIpAddress?.ToString() ?? "unknown", settings.LoginPerAddressPerMinute,
                    settings.BasicPerAddressPerMinute)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(
                    KindOf(context), UsernameOf(context), settings.LoginPerUserPerMinute, settings.BasicPerUserPerMinute)));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>Reads the login form's user name (the limiter's partition function cannot wait for the body), then limits.</summary>
    public static IApplicationBuilder UseSiteSyncRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (KindOf(context) == AttemptKind.Login && context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                context.Items[UsernameItem] = form["Input.Username"].ToString();
            }
            await next(context);
        });
        return app.UseRateLimiter();
    }

    private enum AttemptKind
    {
        None,
        Login,
        Basic,
    }

    private static AttemptKind KindOf(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase))
        {
            return AttemptKind.Login;
        }
        // Sync requests carry a site's Basic credentials; sites have their own lockout and must never wait on this limiter.
        if (Sync.SyncPaths.IsSync(request))
        {
            return AttemptKind.None;
        }
        return request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? AttemptKind.Basic : AttemptKind.None;
    }

    private static string UsernameOf(HttpContext context)
    {
        var name = KindOf(context) switch
        {
            AttemptKind.Login => context.Items[UsernameItem] as string,
            AttemptKind.Basic when AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
                && header.Parameter is not null && AuthServiceCollectionExtensions.TryDecode(header.Parameter, out var username, out _) => username,
            _ => null,
        };
        // The same key the user lookup uses (trimmed, lower case), so "Admin" and "admin " share a bucket.
        return (name ?? "").Trim().ToLowerInvariant();
    }

    private static RateLimitPartition<string> Partition(AttemptKind kind, string key, int loginPerMinute, int basicPerMinute)
    {
        var perMinute = kind switch
        {
            AttemptKind.Login => loginPerMinute,
            AttemptKind.Basic => basicPerMinute,
            _ => 0,
        };
        if (perMinute <= 0)
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        // One token comes back every minute/N: a burst of N, then a steady N per minute. No queue: a refused attempt is answered
        // at once, so a guesser holds no connection open.
        return RateLimitPartition.GetTokenBucketLimiter($"{kind}|{key}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        var scheme = KindOf(context) == AttemptKind.Login ? "login" : "user";
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var services = context.RequestServices;
        services.GetRequiredService<SiteSyncMetrics>().AuthThrottled(scheme);
        Log.Throttled(services.GetRequiredService<ILoggerFactory>().CreateLogger("SiteSync.Central.Auth.RateLimits"), scheme,
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown", seconds);
        var message = $"Too many attempts: try again in {seconds} s.";
        await services.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = message,
                Detail = message,
                Extensions = { ["code"] = TooManyRequestsCode },
            },
        });
    }
}
