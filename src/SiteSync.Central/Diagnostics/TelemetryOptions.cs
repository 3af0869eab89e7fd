using System.ComponentModel.DataAnnotations;

namespace SiteSync.Central.Diagnostics;

/// <summary>Metrics and traces (<c>SiteSync:Telemetry</c>). OTLP export needs no setting here: it is on when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "SiteSync:Telemetry";

    /// <summary>Serve a Prometheus scrape endpoint (off by default: it needs no login, so expose it to the monitoring network
    /// only).</summary>
    public bool PrometheusEnabled { get; set; }

    /// <summary>The scrape endpoint's path.</summary>
    [RegularExpression("^/[A-Za-z0-9/_-]*$", ErrorMessage = "SiteSync:Telemetry:PrometheusPath must be a path such as /metrics.")]
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>How often the queue-depth and active-cycle gauges are read from the database.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);
}
