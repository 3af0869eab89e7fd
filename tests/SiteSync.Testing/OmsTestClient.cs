using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteSync.Testing;

/// <summary>A remote that speaks sync v5 exactly as the Open mSupply client does (reference §1–§3): every header, Basic
/// with the lowercase SHA-256 hex of the password, compact JSON POST bodies without a Content-Type, limit 500, and the
/// cycle of §3.3 with its own local state (cursor, buffer, records, local changes).</summary>
public sealed class OmsTestClient : IDisposable
{
    public const int PullLimit = 500;
    public const int PushBatch = 1024;

    private readonly HttpClient _http;
    private long _pushSeq;

    public OmsTestClient(Uri baseAddress, string siteName, string password, string hardwareId = "0123456789abcdef0123456789abcdef",
        string appName = "Open mSupply Desktop", string appVersion = "2.20.0", string version = "14")
    {
        _http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip }) { BaseAddress = baseAddress };
        SiteName = siteName;
        PasswordSha256 = Sha256Hex(password);
        HardwareId = hardwareId;
        AppName = appName;
        AppVersion = appVersion;
        Version = version;
    }

    public string SiteName { get; set; }
    public string PasswordSha256 { get; set; }
    public string HardwareId { get; set; }
    public string AppName { get; }
    public string AppVersion { get; }
    public string Version { get; set; }

    /// <summary>The local database: every record integrated, by (table, id).</summary>
    public Dictionary<(string Table, string Id), JsonObject> Records { get; } = [];

    /// <summary>Local edits not yet pushed (the client's change log after its push cursor).</summary>
    public List<(string Table, string Id, JsonObject? Data)> LocalChanges { get; } = [];

    /// <summary>Merges integrated: (table, kept id, merged id).</summary>
    public List<(string Table, string Keep, string Delete)> Merges { get; } = [];

    public long CentralCursor { get; set; }
    public bool IsInitialised { get; set; }
    public int SiteId { get; private set; }

    /// <summary>How many records each pull channel delivered, over the client's lifetime.</summary>
    public int PulledFromCentral { get; private set; }
    public int PulledFromQueue { get; private set; }

    /// <summary>Every record this client integrated from central, in order: (table, id, lowercase action).</summary>
    public List<(string Table, string Id, string Action)> Received { get; } = [];

    /// <summary>Every request this client sent, as "METHOD path".</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Headers added to every request (a proxy's <c>X-Forwarded-*</c>, a <c>traceparent</c>).</summary>
    public Dictionary<string, string> ExtraHeaders { get; } = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public Task<SyncResponse> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery, null);

    /// <summary>POSTs compact JSON with no Content-Type header, as <c>reqwest .body(String)</c> does.</summary>
    public Task<SyncResponse> PostAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>Sends a request; <paramref name="expectContinue"/> lets the server refuse a body before it is uploaded.</summary>
    public async Task<SyncResponse> SendAsync(HttpMethod method, string pathAndQuery, string? body, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        request.Headers.ExpectContinue = expectContinue;
        request.Headers.TryAddWithoutValidation("msupply-site-uuid", HardwareId);
        request.Headers.TryAddWithoutValidation("app-version", AppVersion);
        request.Headers.TryAddWithoutValidation("app-name", AppName);
        request.Headers.TryAddWithoutValidation("version", Version);
        request.Headers.Authorization = CentralFactory.BasicHeader(SiteName, PasswordSha256);
        foreach (var (name, value) in ExtraHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        }
        Requests.Add($"{method} {pathAndQuery.Split('?')[0]}");
        using var response = await _http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return new SyncResponse((int)response.StatusCode, text);
    }

    /// <summary>Calls a legacy v4 endpoint as the client's <c>PatientApiV4</c> does: HTTP Basic with the site credentials
    /// and no other sync header; a body is sent as reqwest's <c>.json()</c> sends it, with <c>Content-Type: application/json</c>.</summary>
    public async Task<SyncResponse> SendV4Async(HttpMethod method, string pathAndQuery, string? jsonBody = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        request.Headers.Authorization = CentralFactory.BasicHeader(SiteName, PasswordSha256);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }
        Requests.Add($"{method} {pathAndQuery.Split('?')[0]}");
        using var response = await _http.SendAsync(request, Ct);
        return new SyncResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>One full cycle of reference §3.3 (v6 steps left out). Throws <see cref="SyncFailedException"/> on any
    /// non-2xx answer, like the client aborts its sync.</summary>
    public async Task SyncAsync()
    {
        var site = Ok(await GetAsync("/sync/v5/site"));
        SiteId = site.GetProperty("siteId").GetInt32();
        if (!IsInitialised && site.GetProperty("initialisationStatus").GetString() != "started")
        {
            Ok(await PostAsync("/sync/v5/initialise", "{}"));
        }
        if (IsInitialised)
        {
            await PushAsync();
        }
        await PullCentralAsync();
        var buffer = await PullQueueAsync();
        Integrate(buffer);
        if (!IsInitialised)
        {
            // Reference §3.3 step 10: nothing received during the first sync is pushed back.
            LocalChanges.Clear();
            IsInitialised = true;
        }
    }

    public async Task PushAsync()
    {
        var changes = LocalChanges.ToList();
        for (var offset = 0; offset < changes.Count; offset += PushBatch)
        {
            var batch = changes.Skip(offset).Take(PushBatch).ToList();
            var data = new JsonArray([.. batch.Select(c => (JsonNode)new JsonObject
            {
                ["syncOutId"] = (++_pushSeq).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["tableName"] = c.Table,
                ["recordId"] = c.Id,
                ["action"] = c.Data is null ? "Delete" : "Update",
                ["recordData"] = c.Data?.DeepClone(),
            })]);
            var response = Ok(await PostAsync("/sync/v5/queued_records",
                new JsonObject { ["queueLength"] = changes.Count - offset, ["data"] = data }.ToJsonString()));
            if (response.GetProperty("integrationStarted").GetBoolean())
            {
                throw new SyncFailedException("integrationStarted was true before the final batch");
            }
            LocalChanges.RemoveRange(0, batch.Count);
        }
        var final = Ok(await PostAsync("/sync/v5/queued_records", "{\"queueLength\":0,\"data\":[]}"));
        if (!final.GetProperty("integrationStarted").GetBoolean())
        {
            throw new SyncFailedException("Total remaining sent to server is 0 but integration not started");
        }
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var status = Ok(await GetAsync("/sync/v5/site_status"));
            if (status.GetProperty("code").GetString() == "idle")
            {
                return;
            }
            await Task.Delay(100, Ct);
        }
        throw new SyncFailedException("INTEGRATION_TIMEOUT_REACHED");
    }

    public async Task PullCentralAsync()
    {
        while (true)
        {
            var page = Ok(await GetAsync($"/sync/v5/central_records?cursor={CentralCursor}&limit={PullLimit}"));
            var data = page.GetProperty("data");
            var maxCursor = page.GetProperty("maxCursor").GetInt64();
            if (data.GetArrayLength() == 0)
            {
                if (CentralCursor >= maxCursor)
                {
                    return;
                }
                CentralCursor++;
                continue;
            }
            var buffer = data.EnumerateArray().Select(r => r.Clone()).ToList();
            Integrate(buffer);
            PulledFromCentral += buffer.Count;
            CentralCursor = buffer[^1].GetProperty("ID").GetInt64();
        }
    }

    /// <summary>The queue pull loop: stores each page, then acknowledges it; stops at the first empty page.</summary>
    public async Task<List<JsonElement>> PullQueueAsync(bool acknowledge = true)
    {
        List<JsonElement> buffer = [];
        while (true)
        {
            var page = Ok(await GetAsync($"/sync/v5/queued_records?limit={PullLimit}"));
            var data = page.GetProperty("data");
            if (data.GetArrayLength() == 0)
            {
                return buffer;
            }
            var records = data.EnumerateArray().Select(r => r.Clone()).ToList();
            buffer.AddRange(records);
            PulledFromQueue += records.Count;
            if (!acknowledge)
            {
                return buffer;
            }
            var ids = new JsonArray([.. records.Select(r => (JsonNode)r.GetProperty("syncOutId").GetString()!)]);
            await AcknowledgeAsync(ids);
        }
    }

    public async Task AcknowledgeAsync(JsonArray ids) =>
        Ok(await PostAsync("/sync/v5/acknowledged_records", new JsonObject { ["syncIDs"] = ids }.ToJsonString()), allowEmpty: true);

    /// <summary>Upserts, then deletes; actions in either case, as the client accepts them.</summary>
    public void Integrate(IEnumerable<JsonElement> buffer)
    {
        foreach (var record in buffer)
        {
            var key = (record.GetProperty("tableName").GetString()!, record.GetProperty("recordId").GetString()!);
            var action = record.GetProperty("action").GetString()!.ToLowerInvariant();
            Received.Add((key.Item1, key.Item2, action));
            if (action is "insert" or "update")
            {
                Records[key] = JsonNode.Parse(record.GetProperty("recordData").GetRawText())!.AsObject();
            }
            else if (action == "delete")
            {
                Records.Remove(key);
            }
            else if (action == "merge")
            {
                // Reference §4.4: links are re-pointed to mergeIdToKeep and the merged record is dropped.
                var data = record.GetProperty("recordData");
                Records.Remove((key.Item1, data.GetProperty("mergeIdToDelete").GetString()!));
                Merges.Add((key.Item1, data.GetProperty("mergeIdToKeep").GetString()!, data.GetProperty("mergeIdToDelete").GetString()!));
            }
        }
    }

    /// <summary>A local edit of store data, to be pushed next cycle.</summary>
    public void Edit(string table, string id, JsonObject? data)
    {
        if (data is null)
        {
            Records.Remove((table, id));
        }
        else
        {
            Records[(table, id)] = data;
        }
        LocalChanges.Add((table, id, data?.DeepClone().AsObject()));
    }

    private static JsonElement Ok(SyncResponse response, bool allowEmpty = false)
    {
        if (response.Status is < 200 or >= 300)
        {
            throw new SyncFailedException($"HTTP {response.Status}: {response.Body}") { Response = response };
        }
        if (allowEmpty && string.IsNullOrEmpty(response.Body))
        {
            return default;
        }
        using var document = JsonDocument.Parse(response.Body);
        return document.RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}

public sealed record SyncResponse(int Status, string Body)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string? ErrorCode => Json.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString() : null;
}

public sealed class SyncFailedException(string message) : Exception(message)
{
    public SyncResponse? Response { get; init; }
}
