using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SiteSync.Central.Diagnostics;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Hosting;

public static class ServerDefaults
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>What every feature reads: the <c>SiteSync</c> options (checked at start-up) and the clock
    /// (<see cref="TimeProvider.System"/> unless a host registered another).</summary>
    public static IHostApplicationBuilder AddSiteSyncBasics(this IHostApplicationBuilder builder)
    {
        if (!builder.IsRegistered(nameof(AddSiteSyncBasics)))
        {
            builder.AddValidatedOptions<SiteSyncOptions>(SiteSyncOptions.SectionName);
            builder.Services.TryAddSingleton(TimeProvider.System);
        }
        return builder;
    }

    /// <summary>Options, JSON, ProblemDetails with a stable <c>code</c>, one exception handler, and the
    /// default address when none is configured.</summary>
    public static IHostApplicationBuilder AddServerDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.AddSiteSyncBasics();
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, SiteSyncJsonContext.Default);
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("code", context.ProblemDetails.Status switch
            {
                StatusCodes.Status401Unauthorized => AdminErrorCodes.Unauthenticated,
                StatusCodes.Status403Forbidden => AdminErrorCodes.Forbidden,
                StatusCodes.Status404NotFound => AdminErrorCodes.NotFound,
                StatusCodes.Status413PayloadTooLarge => AdminErrorCodes.BodyTooLarge,
                >= 500 => "internal_error",
                _ => AdminErrorCodes.ValidationFailed,
            });
        });
        builder.Services.AddExceptionHandler<ExceptionHandler>();
        return builder;
    }

    /// <summary>Maps the exceptions a request can cause to a 4xx with a reason, in the error shape of the surface it hit;
    /// everything else is a 500 without details (the log has them).</summary>
    private sealed class ExceptionHandler(IProblemDetailsService problems, ILogger<ExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var (status, reason) = exception switch
            {
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    (StatusCodes.Status413PayloadTooLarge, "The request body is larger than the server accepts."),
                BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, Describe(json)),
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                JsonException json => (StatusCodes.Status400BadRequest, Describe(json)),
                // The last line of defence behind the input checks (StorableText): text the engine refuses is the caller's
                // input, not a server fault, and the failed statement's transaction has rolled back.
                _ when IsUnstorableText(exception) =>
                    (StatusCodes.Status400BadRequest, "The request holds text the database cannot store (U+0000, an unpaired surrogate, or too long)."),
                _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
            };
            if (status >= 500)
            {
                Log.Unhandled(logger, exception, context.Request.Method, context.Request.Path);
            }
            else
            {
                Log.BadRequest(logger, context.Request.Method, context.Request.Path, status, reason);
            }
            if (context.Response.HasStarted)
            {
                return false;
            }
            context.Response.StatusCode = status;
            if (context.Request.Path.StartsWithSegments(SyncRoutes.V5Prefix) || context.Request.Path.StartsWithSegments(SyncRoutes.V6Prefix))
            {
                var code = status == StatusCodes.Status413PayloadTooLarge ? SyncErrorCodes.BodyTooLarge
                    : status < 500 ? SyncErrorCodes.InvalidBody : "internal_error";
                await context.Response.WriteAsJsonAsync(new SyncErrorResponse(new SyncError(code, reason)),
                    SiteSyncJsonContext.Default.SyncErrorResponse, cancellationToken: cancellationToken);
                return true;
            }
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new ProblemDetails { Status = status, Title = reason, Detail = reason },
            });
        }

        private static bool IsUnstorableText(Exception exception)
        {
            for (var e = exception; e is not null; e = e.InnerException)
            {
                if (e is System.Text.EncoderFallbackException
                    || (e is Npgsql.PostgresException postgres && postgres.SqlState is "22021" or "22P05" or "22001" or "54000"))
                {
                    return true;
                }
            }
            return false;
        }

        // Path and position only: the message of a JsonException never quotes the offending value.
        private static string Describe(JsonException json) =>
            $"The body is not valid JSON of the expected shape{(json.Path is { } path ? $" at {path}" : "")}.";
    }
}
