using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SiteSync.Bench;

/// <summary>One site speaking sync v5 exactly as the Open mSupply client does (reference §1–§3): the four headers, Basic with
/// the lowercase SHA-256 hex of the password, compact JSON POST bodies without a Content-Type, gzip accepted, limit 500.</summary>
public sealed class V5Site
{
    public const int Limit = 500;

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;

    public V5Site(HttpClient http, string name, string password, string hardwareId)
    {
        _http = http;
        Name = name;
        HardwareId = hardwareId;
        _authorization = CentralProcess.Basic(name, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))));
    }

    public string Name { get; }
    public string HardwareId { get; }

    /// <summary>The central change-log cursor (the client's <c>CentralSyncPullCursor</c>).</summary>
    public long Cursor { get; set; }

    /// <summary>An HTTP client shaped like the Open mSupply client's: HTTP/1.1 keep-alive, gzip, no request timeout of its own.</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>Sends one request; throws on a non-2xx answer (the client aborts its sync).</summary>
    public async Task<JsonDocument?> SendAsync(HttpMethod method, string pathAndQuery, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Authorization = _authorization;
        request.Headers.TryAddWithoutValidation("msupply-site-uuid", HardwareId);
        request.Headers.TryAddWithoutValidation("app-version", "2.20.0");
        request.Headers.TryAddWithoutValidation("app-name", "Open mSupply Desktop");
        request.Headers.TryAddWithoutValidation("version", "14");
        if (body is not null)
        {
            // ByteArrayContent carries no Content-Type: reqwest's .body(String) sends none (reference §1.4).
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        }
        using var response = await _http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{method} {pathAndQuery} as {Name}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}", null, response.StatusCode);
        }
        return bytes.Length == 0 ? null : JsonDocument.Parse(bytes);
    }

    public async Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(HttpMethod.Get, pathAndQuery, null, cancellationToken);
        return document!.RootElement.Clone();
    }

    public async Task<JsonElement> PostAsync(string path, string body, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(HttpMethod.Post, path, body, cancellationToken);
        return document?.RootElement.Clone() ?? default;
    }

    /// <summary>Pushes records (a JSON array of v5 records) as one batch, then the final empty batch, then polls
    /// <c>site_status</c> every <paramref name="pollPeriod"/> until idle.</summary>
    public async Task PushAsync(string? dataArray, int count, TimeSpan pollPeriod, CancellationToken cancellationToken)
    {
        if (dataArray is not null)
        {
            await PostAsync("sync/v5/queued_records",
                string.Create(CultureInfo.InvariantCulture, $$"""{"queueLength":{{count}},"data":{{dataArray}}}"""), cancellationToken);
        }
        var final = await PostAsync("sync/v5/queued_records", """{"queueLength":0,"data":[]}""", cancellationToken);
        if (!final.GetProperty("integrationStarted").GetBoolean())
        {
            throw new InvalidOperationException("Total remaining sent to server is 0 but integration not started");
        }
        await WaitIdleAsync(pollPeriod, cancellationToken);
    }

    public async Task WaitIdleAsync(TimeSpan pollPeriod, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(pollPeriod, cancellationToken);
            var status = await GetAsync("sync/v5/site_status", cancellationToken);
            if (status.GetProperty("code").GetString() == "idle")
            {
                return;
            }
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("INTEGRATION_TIMEOUT_REACHED");
            }
        }
    }

    /// <summary>The central pull loop of reference §3.5; <paramref name="onRecord"/> sees every record id pulled.</summary>
    public async Task<int> PullCentralAsync(Action<string>? onRecord, CancellationToken cancellationToken)
    {
        var pulled = 0;
        while (true)
        {
            using var page = await SendAsync(HttpMethod.Get,
                string.Create(CultureInfo.InvariantCulture, $"sync/v5/central_records?cursor={Cursor}&limit={Limit}"), null, cancellationToken);
            var data = page!.RootElement.GetProperty("data");
            var maxCursor = page.RootElement.GetProperty("maxCursor").GetInt64();
            if (data.GetArrayLength() == 0)
            {
                if (Cursor >= maxCursor)
                {
                    return pulled;
                }
                Cursor++;
                continue;
            }
            foreach (var record in data.EnumerateArray())
            {
                onRecord?.Invoke(record.GetProperty("recordId").GetString()!);
                Cursor = record.GetProperty("ID").GetInt64();
                pulled++;
            }
        }
    }

    /// <summary>The queue pull loop of reference §3.7: each non-empty page is acknowledged; stops at the first empty page.</summary>
    public async Task<int> PullQueueAsync(CancellationToken cancellationToken)
    {
        var pulled = 0;
        while (true)
        {
            using var page = await SendAsync(HttpMethod.Get,
                string.Create(CultureInfo.InvariantCulture, $"sync/v5/queued_records?limit={Limit}"), null, cancellationToken);
            var data = page!.RootElement.GetProperty("data");
            if (data.GetArrayLength() == 0)
            {
                return pulled;
            }
            pulled += data.GetArrayLength();
            var ids = string.Join(',', data.EnumerateArray().Select(r => JsonSerializer.Serialize(r.GetProperty("syncOutId").GetString())));
            using var ack = await SendAsync(HttpMethod.Post, "sync/v5/acknowledged_records", $$"""{"syncIDs":[{{ids}}]}""", cancellationToken);
        }
    }

    /// <summary>A first sync, as a freshly set-up client runs it: site info, initialise, both pulls.</summary>
    public async Task InitialSyncAsync(CancellationToken cancellationToken)
    {
        await GetAsync("sync/v5/site", cancellationToken);
        await PostAsync("sync/v5/initialise", "{}", cancellationToken);
        await PullCentralAsync(null, cancellationToken);
        await PullQueueAsync(cancellationToken);
    }
}
