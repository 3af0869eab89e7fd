using System.Net;
using System.Text.Json;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;
using SiteSync.Testing;

namespace SiteSync.Cli.Tests.Support;

/// <summary>Central's side of the integrity audit for <see cref="FakeCentral"/> (plugged in as its fault hook): its own list of
/// the records central holds, digested with the real <see cref="IntegrityDigest"/>, so a test decides where the two differ.</summary>
public sealed class FakeIntegrity
{
    private readonly List<(string Table, string Id, string Data, string? Store)> _records = [];

    public const string AuditId = "5f0c2a4e-8d1b-4f7e-9a43-2f3c1b7d9e10";

    /// <summary>Reports received, in order.</summary>
    public List<IntegrityReport> Reports { get; } = [];

    /// <summary>When set, every integrity call is answered with it.</summary>
    public Func<HttpResponseMessage>? Refuse { get; set; }

    /// <summary>A record central holds (central data when <paramref name="store"/> is null).</summary>
    public void Add(string table, string json, string? store = null) =>
        _records.Add((table, (string)System.Text.Json.Nodes.JsonNode.Parse(json)!["ID"]!, json, store));

    public Task<HttpResponseMessage?> HandleAsync(RequestInfo request, CancellationToken cancellationToken)
    {
        if (!request.Path.StartsWith(SyncRoutes.Integrity, StringComparison.Ordinal))
        {
            return Task.FromResult<HttpResponseMessage?>(null);
        }

        if (Refuse is { } refuse)
        {
            return Task.FromResult<HttpResponseMessage?>(refuse());
        }

        return Task.FromResult<HttpResponseMessage?>(request.Path switch
        {
            SyncRoutes.Integrity => Compare(JsonSerializer.Deserialize(request.Body!, SiteSyncJsonContext.Default.IntegrityRequest)!),
            SyncRoutes.IntegrityRecords => Records(JsonSerializer.Deserialize(request.Body!, SiteSyncJsonContext.Default.IntegrityRecordsRequest)!),
            SyncRoutes.IntegrityReport => Report(JsonSerializer.Deserialize(request.Body!, SiteSyncJsonContext.Default.IntegrityReport)!),
            _ => FakeCentral.Error(HttpStatusCode.NotFound, "not_found", "no such endpoint"),
        });
    }

    private HttpResponseMessage Compare(IntegrityRequest request)
    {
        var central = _records.GroupBy(r => (r.Table, r.Store)).ToDictionary(g => g.Key, g =>
        {
            var digest = new IntegrityAccumulator();
            foreach (var record in g)
            {
                digest.Add(IntegrityDigest.HashRecord(record.Table, record.Id, record.Data));
            }

            return digest;
        });
        var site = request.Groups!.ToDictionary(g => (g.TableName, g.StoreId), g =>
            IntegrityAccumulator.Of(g.Count, IntegrityDigest.TryParse(g.Digest, out var sum) ? sum : 0));
        var groups = central.Keys.Union(site.Keys).Order()
            .Select(k => new IntegrityGroupResult(
                k.Item1, k.Item2, central.GetValueOrDefault(k) == site.GetValueOrDefault(k), site.GetValueOrDefault(k).Count, central.GetValueOrDefault(k).Count))
            .ToList();
        var response = new IntegrityResponse(AuditId, new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero), groups.All(g => g.Matches), 0, groups);
        return FakeCentral.Json(JsonSerializer.Serialize(response, SiteSyncJsonContext.Default.IntegrityResponse));
    }

    private HttpResponseMessage Records(IntegrityRecordsRequest request)
    {
        var page = _records.Where(r => r.Table == request.TableName && r.Store == request.StoreId)
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Where(r => request.After is null || string.CompareOrdinal(r.Id, request.After) > 0)
            .Take(request.Limit)
            .Select(r => new IntegrityRecordHash(r.Id, IntegrityDigest.Format(IntegrityDigest.HashRecord(r.Table, r.Id, r.Data))))
            .ToList();
        var response = new IntegrityRecordsResponse(page, page.Count == request.Limit ? page[^1].Id : null);
        return FakeCentral.Json(JsonSerializer.Serialize(response, SiteSyncJsonContext.Default.IntegrityRecordsResponse));
    }

    private HttpResponseMessage Report(IntegrityReport report)
    {
        Reports.Add(report);
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }
}
