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
            options.SerializerOptions.Converters.Add(new Storage.StorableTextConverter());
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
                // The form reader refuses U+0000 and malformed percent-escapes, and forms beyond its limits.
                InvalidDataException => (StatusCodes.Status400BadRequest, "The form cannot be read: it holds characters that are not allowed (e.g. U+0000) or exceeds the form limits."),
                _ when StorageFault(exception) is { } fault => fault,
                // The last line of defence behind the input checks (StorableText): text the engine refuses is the caller's
                // input, not a server fault, and the failed statement's transaction has rolled back.
                _ when Storage.StorageErrors.Classify(exception) == Storage.StorageErrorKind.RefusedData =>
                    (StatusCodes.Status400BadRequest, "The database refused the request's data (text it cannot store, a value too long, or a conflicting record)."),
                _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
            };
            if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status507InsufficientStorage)
            {
                // The transaction rolled back: nothing of the request was kept, and the client retries it later.
                Log.StorageUnavailable(logger, context.Request.Method, context.Request.Path, status, reason);
                context.Response.Headers.RetryAfter = "30";
            }
            else if (status >= 500)
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
            if (Sync.SyncPaths.IsSync(context.Request))
            {
                var code = status switch
                {
                    StatusCodes.Status413PayloadTooLarge => SyncErrorCodes.BodyTooLarge,
                    StatusCodes.Status507InsufficientStorage => SyncErrorCodes.StorageFull,
                    StatusCodes.Status503ServiceUnavailable => SyncErrorCodes.StorageBusy,
                    < 500 => SyncErrorCodes.InvalidBody,
                    _ => "internal_error",
                };
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

        /// <summary>A database that is full or busy beyond its timeouts: a condition of the server, not a fault of the request,
        /// and one that passes.</summary>
        private static (int Status, string Reason)? StorageFault(Exception exception) => Storage.StorageErrors.Classify(exception) switch
        {
            Storage.StorageErrorKind.Full => (StatusCodes.Status507InsufficientStorage, "The central server's storage is full; nothing of this request was kept. Retry later."),
            Storage.StorageErrorKind.Busy => (StatusCodes.Status503ServiceUnavailable, "The central server's database is busy; nothing of this request was kept. Retry later."),
            _ => null,
        };

        // Path and position only: the message of a JsonException never quotes the offending value.
        private static string Describe(JsonException json) => json is Storage.UnstorableTextException
            ? $"The text{(json.Path is { } at ? $" at {at}" : "")} holds U+0000 or an unpaired UTF-16 surrogate, which cannot be stored."
            : $"The body is not valid JSON of the expected shape{(json.Path is { } path ? $" at {path}" : "")}.";
    }
}
