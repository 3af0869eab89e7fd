using System.Diagnostics;

namespace SiteSync.Central.Diagnostics;

/// <summary>Central's one <c>ActivitySource("SiteSync.Central")</c>: a span around each sync request, each push integration and
/// the migrations. Without a listener (no OTLP endpoint, no test) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and costs nothing.</summary>
public static class SiteSyncTracing
{
    public const string SourceName = "SiteSync.Central";

    public static readonly ActivitySource Source = new(SourceName);

    public const string SiteIdTag = "sitesync.site.id";
    public const string EndpointTag = "sitesync.sync.endpoint";
    public const string OutcomeTag = "sitesync.sync.outcome";
}
