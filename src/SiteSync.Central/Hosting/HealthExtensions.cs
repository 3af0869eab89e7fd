using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Hosting;

public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>The readiness check: the database answers and has no pending migration.</summary>
    public static IHostApplicationBuilder AddSiteSyncHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseCheck>("database", HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary><c>/alive</c>: the process answers (no check runs, for a liveness probe that must not restart a node because its
    /// database is away). <c>/ready</c>: the database is reachable and migrated (for a load balancer). <c>/health</c>: the same
    /// as <c>/ready</c>, kept for the monitors that already call it. All three need no login.</summary>
    public static IEndpointRouteBuilder MapSiteSyncHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync };
        app.MapHealthChecks("/ready", ready).AllowAnonymous();
        app.MapHealthChecks("/health", ready).AllowAnonymous();
        return app;
    }

    /// <summary><c>{"status":"Healthy|Unhealthy","checks":{"database":{"status","description"}}}</c>: the reason without exception
    /// text (a driver's message may name hosts or users).</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(stream.ToArray(), context.RequestAborted).AsTask();
    }

    private sealed class DatabaseCheck(SiteSyncDbContext db, ILogger<DatabaseCheck> logger) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            string reason;
            try
            {
                // One round trip that also proves the schema is there: the migrations history lists what was applied.
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
                if (pending == 0)
                {
                    return HealthCheckResult.Healthy("The database is reachable and migrated.");
                }
                reason = $"The database has {pending} pending migration(s): run 'SiteSync.Central migrate' (docs/operations.md).";
            }
            catch (Exception exception) when (exception is DbException or InvalidOperationException or TimeoutException
                or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                reason = $"The database is not reachable ({exception.GetType().Name}).";
            }
            Log.NotReady(logger, reason);
            return HealthCheckResult.Unhealthy(reason);
        }
    }
}
