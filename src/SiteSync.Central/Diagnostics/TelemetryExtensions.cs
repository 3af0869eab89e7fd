using System.Diagnostics;
using System.Security.Claims;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SiteSync.Central.Auth;
using SiteSync.Central.Hosting;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Diagnostics;

public static class TelemetryExtensions
{
    /// <summary>Central's meter (<see cref="SiteSyncMetrics"/>), which every feature that counts something uses; exporting it
    /// is <see cref="AddSiteSyncTelemetry"/>'s.</summary>
    public static IHostApplicationBuilder AddSiteSyncMetrics(this IHostApplicationBuilder builder)
    {
        if (!builder.IsRegistered(nameof(AddSiteSyncMetrics)))
        {
            builder.Services.AddSingleton<SiteSyncMetrics>();
        }
        return builder;
    }

    /// <summary>The standard OpenTelemetry variable that turns OTLP export of metrics and traces on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Central's meter and activity source, the sampler behind its gauges, and OpenTelemetry: ASP.NET Core, HttpClient
    /// and runtime instrumentation, exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and to a Prometheus scrape
    /// endpoint when <c>SiteSync:Telemetry:PrometheusEnabled</c> is true. With neither, no provider is built and the
    /// instruments cost next to nothing.</summary>
    public static IHostApplicationBuilder AddSiteSyncTelemetry(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSiteSyncTelemetry)))
        {
            return builder;
        }
        builder.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);
        // The sampler reads the queue depths from the database.
        builder.AddSiteSyncMetrics().AddSiteSyncStorage();
        builder.Services.AddSingleton<SyncStateSampler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SyncStateSampler>());

        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        if (!otlp && !telemetry.PrometheusEnabled)
        {
            return builder;
        }

        var openTelemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sitesync-central", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SiteSyncMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (telemetry.PrometheusEnabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            openTelemetry
                .WithTracing(tracing => tracing.AddSource(SiteSyncTracing.SourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>Counts and traces every sync request (v5 and v6) by endpoint and outcome. Runs before authentication so that
    /// refused credentials are counted too.</summary>
    public static IApplicationBuilder UseSyncTelemetry(this IApplicationBuilder app) =>
        app.UseWhen(
            context => Sync.SyncPaths.IsSync(context.Request),
            sync => sync.Use(MeasureAsync));

    /// <summary>The Prometheus scrape endpoint, when enabled.</summary>
    public static IEndpointRouteBuilder MapSiteSyncTelemetry(this IEndpointRouteBuilder app)
    {
        var telemetry = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        if (telemetry.PrometheusEnabled)
        {
            app.MapPrometheusScrapingEndpoint(telemetry.PrometheusPath);
        }
        return app;
    }

    private static async Task MeasureAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown";
        using var activity = SiteSyncTracing.Source.StartActivity($"sync {endpoint}", ActivityKind.Internal);
        activity?.SetTag(SiteSyncTracing.EndpointTag, endpoint);
        var outcome = "failed";
        try
        {
            await next(context);
            outcome = OutcomeOf(context.Response.StatusCode);
        }
        catch (BadHttpRequestException)
        {
            outcome = "invalid";
            throw;
        }
        finally
        {
            if (activity is not null)
            {
                activity.SetTag(SiteSyncTracing.OutcomeTag, outcome);
                if (context.User.FindFirstValue(Policies.SiteIdClaim) is { } siteId)
                {
                    activity.SetTag(SiteSyncTracing.SiteIdTag, siteId);
                }
                if (outcome is "failed")
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
            context.RequestServices.GetRequiredService<SiteSyncMetrics>().SyncRequest(endpoint, outcome);
        }
    }

    private static string OutcomeOf(int status) => status switch
    {
        < 400 => "ok",
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status409Conflict => "refused",
        < 500 => "invalid",
        _ => "failed",
    };
}
