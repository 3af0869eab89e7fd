using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiteSync.Protocol.Client;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Testing;

/// <summary>A v5 central in an <see cref="HttpMessageHandler"/>: one site, a change log read by cursor, the site's queue with
/// acknowledgement, a push buffer integrated on the final batch, initialise, site_status, the auth error codes, and hooks to
/// inject faults. Thread-safe enough for one remote at a time.</summary>
public sealed class FakeCentral : HttpMessageHandler
{
    public const string SiteName = "district-1";
    public const string Password = "correct horse";
    public const int SiteId = 7;
    public const int CentralSiteId = 1;
    public static readonly Uri Url = new("http://central.test:5080/");

    private readonly Lock _lock = new();
    private readonly List<(long Id, string Table, string RecordId, string Action)> _changeLog = [];
    private readonly Dictionary<(string Table, string Id), string> _centralData = [];
    private readonly List<RemoteSyncRecord> _queue = [];
    private readonly List<RemoteSyncRecord> _initialiseData = [];
    private readonly List<RemoteSyncRecord> _pushBuffer = [];
    private long _nextSyncOut = 1;
    private int _statusPollsUntilIdle;

    public string? BoundHardwareId { get; set; }
    public string InitialisationStatus { get; set; } = InitialisationStatuses.New;

    /// <summary>Every request as received, in order.</summary>
    public List<RequestInfo> Requests { get; } = [];

    /// <summary>Records integrated from pushes: key → how many times each was integrated, and the latest data.</summary>
    public Dictionary<(string Table, string Id), int> IntegrationCounts { get; } = [];
    public Dictionary<(string Table, string Id), string?> Pushed { get; } = [];

    /// <summary>Acknowledged syncOutIds, with how often each was acknowledged.</summary>
    public Dictionary<string, int> Acknowledged { get; } = [];

    /// <summary>Runs before normal handling: return a response to answer with it, throw to fail the request, or return null.</summary>
    public Func<RequestInfo, CancellationToken, Task<HttpResponseMessage?>>? Fault { get; set; }

    /// <summary>How many site_status polls after a final push report integration_in_progress.</summary>
    public int StatusPollsPerIntegration { get; set; }

    /// <summary>Whether the final push is answered with integrationStarted:true (a broken central says false).</summary>
    public bool StartsIntegration { get; set; } = true;

    public static string PasswordSha256 => SyncCredentials.HashPassword(Password);

    public long MaxCursor { get { lock (_lock) { return _changeLog.Count == 0 ? 0 : _changeLog[^1].Id; } } }

    public int QueueLength { get { lock (_lock) { return _queue.Count; } } }

    // ---- central's data ----

    public void UpsertCentral(string table, string json)
    {
        var id = (string)JsonNode.Parse(json)!["ID"]!;
        lock (_lock)
        {
            _centralData[(table, id)] = json;
            _changeLog.Add((NextChangeLogId(), table, id, SyncActions.Update));
        }
    }

    public void DeleteCentral(string table, string id)
    {
        lock (_lock)
        {
            _centralData.Remove((table, id));
            _changeLog.Add((NextChangeLogId(), table, id, SyncActions.Delete));
        }
    }

    public void MergeCentral(string table, string keep, string remove)
    {
        lock (_lock)
        {
            _centralData.Remove((table, remove));
            _changeLog.Add((NextChangeLogId(), table, "merge-" + remove, SyncActions.Merge));
            _centralData[(table, "merge-" + remove)] = $$"""{"mergeIdToKeep":"{{keep}}","mergeIdToDelete":"{{remove}}"}""";
        }
    }

    /// <summary>Central's store record for a store active on <paramref name="siteId"/>.</summary>
    public void AddStore(string storeId, int siteId) =>
        UpsertCentral("store", $$"""{"ID":"{{storeId}}","name":"Store {{storeId}}","code":"{{storeId}}","sync_id_remote_site":{{siteId}}}""");

    public void Enqueue(string table, string json, string action = "update")
    {
        var id = (string)JsonNode.Parse(json)!["ID"]!;
        lock (_lock)
        {
            _queue.Add(new RemoteSyncRecord(NextSyncOut(), table, id, action, new RawJson(json)));
        }
    }

    /// <summary>What POST initialise puts in the queue.</summary>
    public void AddInitialiseData(string table, string json)
    {
        var id = (string)JsonNode.Parse(json)!["ID"]!;
        lock (_lock)
        {
            _initialiseData.Add(new RemoteSyncRecord("", table, id, "insert", new RawJson(json)));
        }
    }

    private long NextChangeLogId() => _changeLog.Count == 0 ? 1 : _changeLog[^1].Id + 1;

    private string NextSyncOut() => "so-" + (_nextSyncOut++).ToString(CultureInfo.InvariantCulture);

    // ---- HTTP ----

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var info = new RequestInfo(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            request.RequestUri.Query,
            request.RequestUri,
            request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)),
            request.Content?.Headers.ContentType?.ToString(),
            body);
        lock (_lock)
        {
            Requests.Add(info);
        }

        if (Fault is { } fault && await fault(info, cancellationToken) is { } faulted)
        {
            return faulted;
        }

        if (Authenticate(info) is { } refused)
        {
            return refused;
        }

        lock (_lock)
        {
            return (info.Method, info.Path) switch
            {
                ("GET", SyncRoutes.Site) => Json(JsonSerializer.Serialize(
                    new SiteInfo("site-uuid-7", SiteId, InitialisationStatus, "http://central.test:5080", false, CentralSiteId),
                    SiteSyncJsonContext.Default.SiteInfo)),
                ("GET", SyncRoutes.SiteStatus) => SiteStatus(),
                ("POST", SyncRoutes.Initialise) => Initialise(),
                ("GET", SyncRoutes.CentralRecords) => CentralRecords(info),
                ("GET", SyncRoutes.QueuedRecords) => PullQueue(info),
                ("POST", SyncRoutes.AcknowledgedRecords) => Acknowledge(info),
                ("POST", SyncRoutes.QueuedRecords) => Push(info),
                _ => Error(HttpStatusCode.NotFound, "not_found", "no such endpoint"),
            };
        }
    }

    private HttpResponseMessage? Authenticate(RequestInfo info)
    {
        if (!info.Headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.Unauthorized, SyncErrorCodes.SiteNameNotFound, "no credentials");
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..])).Split(':', 2);
        if (pair[0] != SiteName)
        {
            return Error(HttpStatusCode.Unauthorized, SyncErrorCodes.SiteNameNotFound, "Site name not found");
        }

        if (pair[1] != PasswordSha256)
        {
            return Error(HttpStatusCode.Unauthorized, SyncErrorCodes.SiteIncorrectPassword, "Incorrect password");
        }

        if (info.Headers.GetValueOrDefault("version") != "14")
        {
            return Error(HttpStatusCode.Conflict, SyncErrorCodes.ApiVersionIncompatible, "version");
        }

        var hardwareId = info.Headers.GetValueOrDefault(SyncHeaders.HardwareId);
        lock (_lock)
        {
            BoundHardwareId ??= hardwareId;
            if (BoundHardwareId != hardwareId)
            {
                return Error(HttpStatusCode.Unauthorized, SyncErrorCodes.SiteIncorrectHardwareId, "Site hardware ID does not match");
            }
        }

        return null;
    }

    private HttpResponseMessage SiteStatus()
    {
        var code = _statusPollsUntilIdle > 0 ? SiteStatusCodes.IntegrationInProgress : SiteStatusCodes.Idle;
        if (_statusPollsUntilIdle > 0)
        {
            _statusPollsUntilIdle--;
        }

        return Json(JsonSerializer.Serialize(new SiteStatus(code, code), SiteSyncJsonContext.Default.SiteStatus));
    }

    private HttpResponseMessage Initialise()
    {
        _queue.RemoveAll(r => _initialiseData.Any(i => i.TableName == r.TableName && i.RecordId == r.RecordId));
        foreach (var record in _initialiseData)
        {
            _queue.Add(record with { SyncOutId = NextSyncOut() });
        }

        InitialisationStatus = InitialisationStatuses.Completed;
        InitialiseCalls++;
        return Json($$"""{"queueLength":{{_queue.Count}}}""");
    }

    public int InitialiseCalls { get; private set; }

    private HttpResponseMessage CentralRecords(RequestInfo info)
    {
        var cursor = long.Parse(info.QueryValue("cursor")!, CultureInfo.InvariantCulture);
        var limit = int.Parse(info.QueryValue("limit")!, CultureInfo.InvariantCulture);
        var rows = _changeLog.Where(c => c.Id > cursor).Take(limit).Select(c => new CentralSyncRecord(
            c.Id, c.Table, c.RecordId, c.Action == SyncActions.Delete ? "delete" : c.Action.ToLowerInvariant(),
            c.Action == SyncActions.Delete ? null : _centralData.TryGetValue((c.Table, c.RecordId), out var data) ? new RawJson(data) : null))
            .Where(r => r.Action == "delete" || r.RecordData is not null)
            .ToList();
        var max = _changeLog.Count == 0 ? 0 : _changeLog[^1].Id;
        return Json(JsonSerializer.Serialize(new CentralSyncBatch(Math.Max(max, cursor), rows), SiteSyncJsonContext.Default.CentralSyncBatch));
    }

    private HttpResponseMessage PullQueue(RequestInfo info)
    {
        var limit = int.Parse(info.QueryValue("limit")!, CultureInfo.InvariantCulture);
        var batch = _queue.Take(limit).ToList();
        return Json(JsonSerializer.Serialize(new RemoteSyncBatch(_queue.Count, batch), SiteSyncJsonContext.Default.RemoteSyncBatch));
    }

    private HttpResponseMessage Acknowledge(RequestInfo info)
    {
        var ids = JsonSerializer.Deserialize(info.Body!, SiteSyncJsonContext.Default.AcknowledgedRecords)!.SyncIds;
        foreach (var id in ids)
        {
            Acknowledged[id] = Acknowledged.GetValueOrDefault(id) + 1;
        }

        _queue.RemoveAll(r => ids.Contains(r.SyncOutId));
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private HttpResponseMessage Push(RequestInfo info)
    {
        var batch = JsonSerializer.Deserialize(info.Body!, SiteSyncJsonContext.Default.RemoteSyncBatch)!;
        if (batch.QueueLength > 0 || batch.Data is { Count: > 0 })
        {
            _pushBuffer.AddRange(batch.Data ?? []);
            return Json("""{"integrationStarted":false}""");
        }

        if (!StartsIntegration)
        {
            return Json("""{"integrationStarted":false}""");
        }

        // Integrate: the buffer deduplicated by record (a re-sent batch overwrites itself), each record counted once.
        foreach (var record in _pushBuffer.GroupBy(r => (r.TableName, r.RecordId)).Select(g => g.Last()))
        {
            var key = (record.TableName, record.RecordId);
            IntegrationCounts[key] = IntegrationCounts.GetValueOrDefault(key) + 1;
            Pushed[key] = record.RecordData?.Text;
        }

        _pushBuffer.Clear();
        _statusPollsUntilIdle = StatusPollsPerIntegration;
        return Json("""{"integrationStarted":true}""");
    }

    public static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent($$$"""{"error":{"code":"{{{code}}}","message":"{{{message}}}","data":null}}""", Encoding.UTF8, "application/json"),
    };
}

/// <summary>One request as the fake central saw it.</summary>
public sealed record RequestInfo(
    string Method, string Path, string Query, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, string? Body)
{
    public string? QueryValue(string name) =>
        Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p[0] == name)
            .Select(p => Uri.UnescapeDataString(p[1]))
            .FirstOrDefault();

    public string Endpoint => $"{Method} {Path}";
}
