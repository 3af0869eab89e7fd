using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Protocol.Client;

/// <summary>A typed client for every sync v5 endpoint, sending exactly what the Open mSupply client sends (reference §1–§2):
/// the four headers, HTTP Basic with the password's SHA-256 hex, and compact JSON POST bodies without a Content-Type.</summary>
/// <remarks>The <paramref name="http"/> client is not owned: the caller disposes it. Routes are joined below the path of
/// <paramref name="serverUrl"/>, so a central behind a reverse-proxy sub-path (<c>https://host/sitesync</c>) is reached at
/// <c>https://host/sitesync/sync/v5/…</c>. The Open mSupply client drops such a path (reference §1.1); this one keeps it, and
/// behaves the same for a URL without one.</remarks>
/// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is not used.</param>
/// <param name="serverUrl">Central's URL, e.g. <c>http://central:5080</c>.</param>
/// <param name="credentials">The site's credentials.</param>
/// <param name="requestTimeout">The longest one request may take, sending and reading the whole answer; null for no limit
/// but the caller's cancellation (and <paramref name="http"/>'s own timeout).</param>
/// <param name="timeProvider">The clock of <paramref name="requestTimeout"/>; <see cref="TimeProvider.System"/> when null.</param>
public sealed class SyncApiClient(
    HttpClient http, Uri serverUrl, SyncCredentials credentials, TimeSpan? requestTimeout = null, TimeProvider? timeProvider = null)
{
    /// <summary>The sync API version sent in the <c>version</c> header (the current Open mSupply client sends 14).</summary>
    public const int SyncApiVersion = 14;

    private readonly AuthenticationHeaderValue _authorization = new(
        "Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{(credentials ?? throw new ArgumentNullException(nameof(credentials))).SiteName}:{credentials.PasswordSha256}")));

    /// <summary>Central's URL this client talks to.</summary>
    public Uri ServerUrl { get; } = serverUrl ?? throw new ArgumentNullException(nameof(serverUrl));

    // A base ending in '/' and relative routes without a leading '/': new Uri(base, "/sync/v5/site") would replace the path.
    private readonly Uri _base = serverUrl.AbsolutePath.EndsWith('/') ? serverUrl : new Uri(serverUrl.GetLeftPart(UriPartial.Path) + "/");

    /// <summary><c>GET /sync/v5/site</c>: the site's identity and initialisation status; checks the credentials.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The site info.</returns>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not site info.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<SiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, SyncRoutes.Site, body: null, SiteSyncJsonContext.Default.SiteInfo, SyncAnswerShape.Problem, cancellationToken);

    /// <summary><c>GET /sync/v5/site_status</c>: whether central is integrating or initialising for the site.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status; <see cref="SiteStatusCodes.Idle"/> when nothing runs.</returns>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a status.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<SiteStatus> GetSiteStatusAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, SyncRoutes.SiteStatus, body: null, SiteSyncJsonContext.Default.SiteStatus, SyncAnswerShape.Problem, cancellationToken);

    /// <summary><c>POST /sync/v5/initialise</c> with the body <c>{}</c>: central (re)fills the site's queue.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer; its <see cref="RemoteSyncBatch.QueueLength"/> is the size of the queue.</returns>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a batch.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<RemoteSyncBatch> InitialiseAsync(CancellationToken cancellationToken) =>
        SendAsync(
            HttpMethod.Post, SyncRoutes.Initialise, "{}"u8.ToArray(), SiteSyncJsonContext.Default.RemoteSyncBatch, SyncAnswerShape.Problem, cancellationToken);

    /// <summary><c>GET /sync/v5/queued_records?limit=L</c>: the next batch of the site's queue.</summary>
    /// <param name="limit">The most records to return.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The batch; empty <see cref="RemoteSyncBatch.Data"/> means the queue is drained.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a batch.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<RemoteSyncBatch> GetQueuedRecordsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return SendAsync(
            HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"{SyncRoutes.QueuedRecords}?limit={limit}"),
            body: null,
            SiteSyncJsonContext.Default.RemoteSyncBatch,
            SyncAnswerShape.Problem,
            cancellationToken);
    }

    /// <summary><c>GET /sync/v5/queued_records?limit=L</c>, the answer read by <paramref name="read"/> from its UTF-8 bytes (a caller
    /// that keeps each record's bytes instead of a string per record, as the remote's pull buffer does).</summary>
    /// <typeparam name="T">The caller's model of a batch.</typeparam>
    /// <param name="limit">The most records to return.</param>
    /// <param name="read">Reads the answer's bytes; throws <see cref="JsonException"/> when they are not a batch. The array is the
    /// caller's to keep.</param>
    /// <param name="problemOf">What is missing from a read batch (a message), or null when it is whole.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The batch as <paramref name="read"/> returned it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a batch.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<T> GetQueuedRecordsAsync<T>(int limit, Func<byte[], T?> read, Func<T, string?> problemOf, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(problemOf);
        return SendAsync(
            HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"{SyncRoutes.QueuedRecords}?limit={limit}"),
            body: null,
            read,
            problemOf,
            cancellationToken);
    }

    /// <summary><c>POST /sync/v5/queued_records</c>: pushes one batch of local changes.</summary>
    /// <param name="batch">The batch; <see cref="RemoteSyncBatch.QueueLength"/> counts this batch, and the final batch of a push is
    /// <c>{"queueLength":0,"data":[]}</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether central started integrating (it must after the final batch).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="SyncApiException">Central refused the batch or answered with something that is not a push answer.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<PushResponse> PushQueuedRecordsAsync(RemoteSyncBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var body = JsonSerializer.SerializeToUtf8Bytes(batch with { Data = batch.Data ?? [] }, SiteSyncJsonContext.Default.RemoteSyncBatch);
        return SendAsync(HttpMethod.Post, SyncRoutes.QueuedRecords, body, SiteSyncJsonContext.Default.PushResponse, _ => null, cancellationToken);
    }

    /// <summary><c>POST /sync/v5/acknowledged_records</c> with <c>{"syncIDs":[…]}</c>: central may drop these queue entries.</summary>
    /// <param name="syncIds">The <c>syncOutId</c> of every record stored durably.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when central accepted the acknowledgement (its body is ignored).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="syncIds"/> is null.</exception>
    /// <exception cref="SyncApiException">Central refused the acknowledgement.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public async Task AcknowledgeRecordsAsync(IReadOnlyList<string> syncIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(syncIds);
        var body = JsonSerializer.SerializeToUtf8Bytes(new AcknowledgedRecords(syncIds), SiteSyncJsonContext.Default.AcknowledgedRecords);
        using var response = await SendRawAsync(HttpMethod.Post, SyncRoutes.AcknowledgedRecords, body, cancellationToken);
    }

    /// <summary><c>GET /sync/v5/central_records?cursor=C&amp;limit=L</c>: change-log rows with an id above <paramref name="cursor"/>.</summary>
    /// <param name="cursor">The id of the last row already stored (exclusive); 0 at the start.</param>
    /// <param name="limit">The most rows to return.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page and central's highest change-log id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cursor"/> is negative or <paramref name="limit"/> not positive.</exception>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a page.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<CentralSyncBatch> GetCentralRecordsAsync(long cursor, int limit, CancellationToken cancellationToken) =>
        GetCentralRecordsAsync(cursor, stored: null, limit, cancellationToken);

    /// <summary><c>GET /sync/v5/central_records?cursor=C&amp;limit=L&amp;stored=S</c>: the page after <paramref name="cursor"/>, asked
    /// for while the rows up to it are still being stored; <paramref name="stored"/> is the cursor already stored
    /// (<see cref="SyncRoutes.CentralRecordsStored"/>).</summary>
    /// <param name="cursor">The id of the last row of the page being stored (exclusive).</param>
    /// <param name="stored">The cursor stored durably, at most <paramref name="cursor"/>; null when it is <paramref name="cursor"/>.</param>
    /// <param name="limit">The most rows to return.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page and central's highest change-log id.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A cursor is negative, <paramref name="stored"/> is past <paramref name="cursor"/>
    /// or <paramref name="limit"/> is not positive.</exception>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a page.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<CentralSyncBatch> GetCentralRecordsAsync(long cursor, long? stored, int limit, CancellationToken cancellationToken) =>
        GetCentralRecordsAsync(
            cursor,
            stored,
            limit,
            bytes => JsonSerializer.Deserialize(bytes, SiteSyncJsonContext.Default.CentralSyncBatch),
            SyncAnswerShape.Problem,
            cancellationToken);

    /// <summary><see cref="GetCentralRecordsAsync(long, long?, int, CancellationToken)"/>, the answer read by <paramref name="read"/>
    /// from its UTF-8 bytes (a caller that keeps each record's bytes instead of a string per record).</summary>
    /// <typeparam name="T">The caller's model of a page.</typeparam>
    /// <param name="cursor">The id of the last row already stored or being stored (exclusive).</param>
    /// <param name="stored">The cursor stored durably, at most <paramref name="cursor"/>; null when it is <paramref name="cursor"/>.</param>
    /// <param name="limit">The most rows to return.</param>
    /// <param name="read">Reads the answer's bytes; throws <see cref="JsonException"/> when they are not a page. The array is the
    /// caller's to keep.</param>
    /// <param name="problemOf">What is missing from a read page (a message), or null when it is whole.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page as <paramref name="read"/> returned it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A cursor is negative, <paramref name="stored"/> is past <paramref name="cursor"/>
    /// or <paramref name="limit"/> is not positive.</exception>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a page.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<T> GetCentralRecordsAsync<T>(
        long cursor, long? stored, int limit, Func<byte[], T?> read, Func<T, string?> problemOf, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(problemOf);
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (stored is { } storedCursor)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(storedCursor, nameof(stored));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(storedCursor, cursor, nameof(stored));
        }

        var storedQuery = stored is { } value
            ? string.Create(CultureInfo.InvariantCulture, $"&{SyncRoutes.CentralRecordsStored}={value}")
            : "";
        return SendAsync(
            HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"{SyncRoutes.CentralRecords}?cursor={cursor}&limit={limit}{storedQuery}"),
            body: null,
            read,
            problemOf,
            cancellationToken);
    }

    /// <summary><c>POST /sync/v5/integrity</c>: central compares the site's group digests with its own copy.</summary>
    /// <param name="request">The site's digests.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Every group non-empty on either side, compared, and the audit id for the report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SyncApiException">Central refused the request (e.g. <see cref="SyncErrorCodes.StoreNotActiveOnSite"/>) or
    /// answered with something that is not a comparison.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<IntegrityResponse> CheckIntegrityAsync(IntegrityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(
            HttpMethod.Post,
            SyncRoutes.Integrity,
            JsonSerializer.SerializeToUtf8Bytes(request, SiteSyncJsonContext.Default.IntegrityRequest),
            SiteSyncJsonContext.Default.IntegrityResponse,
            response => response.Groups is null ? "groups is missing" : null,
            cancellationToken);
    }

    /// <summary><c>POST /sync/v5/integrity/records</c>: one page of central's record hashes of one group.</summary>
    /// <param name="request">The group and the page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page; <see cref="IntegrityRecordsResponse.Next"/> is null after the last one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SyncApiException">Central refused the request or answered with something that is not a page.</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public Task<IntegrityRecordsResponse> GetIntegrityRecordsAsync(IntegrityRecordsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(
            HttpMethod.Post,
            SyncRoutes.IntegrityRecords,
            JsonSerializer.SerializeToUtf8Bytes(request, SiteSyncJsonContext.Default.IntegrityRecordsRequest),
            SiteSyncJsonContext.Default.IntegrityRecordsResponse,
            page => page.Records is null || page.Records.Any(r => r?.Id is null || r.Hash is null) ? "records is missing or incomplete" : null,
            cancellationToken);
    }

    /// <summary><c>POST /sync/v5/integrity/report</c>: tells central which records differ, to keep with the audit.</summary>
    /// <param name="report">The audit id and the differing records.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when central stored the report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="SyncApiException">Central refused the report (e.g. <see cref="SyncErrorCodes.AuditSuperseded"/>).</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="TimeoutException">Central did not answer within the request timeout.</exception>
    public async Task ReportIntegrityAsync(IntegrityReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var body = JsonSerializer.SerializeToUtf8Bytes(report, SiteSyncJsonContext.Default.IntegrityReport);
        using var response = await SendRawAsync(HttpMethod.Post, SyncRoutes.IntegrityReport, body, cancellationToken);
    }

    private Task<T> SendAsync<T>(
        HttpMethod method,
        string pathAndQuery,
        byte[]? body,
        JsonTypeInfo<T> typeInfo,
        Func<T, string?> problemOf,
        CancellationToken cancellationToken)
        where T : class =>
        SendAsync(method, pathAndQuery, body, bytes => JsonSerializer.Deserialize(bytes, typeInfo), problemOf, cancellationToken);

    private async Task<T> SendAsync<T>(
        HttpMethod method,
        string pathAndQuery,
        byte[]? body,
        Func<byte[], T?> read,
        Func<T, string?> problemOf,
        CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendRawAsync(method, pathAndQuery, body, cancellationToken);
        var text = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        string? problem;
        T? value = null;
        try
        {
            value = read(text);
            problem = value is null ? "null" : problemOf(value);
        }
        catch (JsonException exception)
        {
            problem = exception.Message;
        }

        return problem is null && value is not null
            ? value
            : throw new SyncApiException(response.StatusCode, null, $"Central's answer to {method} {StripQuery(pathAndQuery)} is not valid: {problem}");
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string pathAndQuery, byte[]? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, pathAndQuery.TrimStart('/')));
        request.Headers.Authorization = _authorization;
        request.Headers.Add(SyncHeaders.HardwareId, credentials.HardwareId);
        request.Headers.Add(SyncHeaders.AppName, credentials.AppName);
        request.Headers.Add(SyncHeaders.AppVersion, credentials.AppVersion);
        request.Headers.Add(SyncHeaders.SyncVersion, SyncApiVersion.ToString(CultureInfo.InvariantCulture));
        if (body is not null)
        {
            // ByteArrayContent sets no Content-Type, which is what the real client sends on v5 POSTs (reference §1.4).
            request.Content = new ByteArrayContent(body);
        }

        // ResponseContentRead: the whole answer is read within the timeout, not only its headers (a link that stalls mid-body).
        var response = await SendWithinTimeoutAsync(request, method, pathAndQuery, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(response, method, pathAndQuery, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendWithinTimeoutAsync(
        HttpRequestMessage request, HttpMethod method, string pathAndQuery, CancellationToken cancellationToken)
    {
        if (requestTimeout is not { } limit)
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }

        using var timeout = new CancellationTokenSource(limit, timeProvider ?? TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A server that accepts the connection and never answers (or stops mid-answer) would otherwise hold the caller forever.
            throw new TimeoutException(
                string.Create(CultureInfo.InvariantCulture, $"Central did not answer {method} {StripQuery(pathAndQuery)} within {limit.TotalSeconds:0.###} s."),
                exception);
        }
    }

    private static async Task<SyncApiException> ToExceptionAsync(
        HttpResponseMessage response, HttpMethod method, string pathAndQuery, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        SyncErrorResponse? envelope = null;
        try
        {
            envelope = text.Length == 0 ? null : JsonSerializer.Deserialize(text, SiteSyncJsonContext.Default.SyncErrorResponse);
        }
        catch (JsonException)
        {
            // Not an error envelope (a proxy's HTML page, a 413 from the web server): reported by status alone below.
        }

        return envelope?.Error is { Code: { } code } error
            ? new SyncApiException(response.StatusCode, code, error.Message ?? code, error.Data)
            : new SyncApiException(
                response.StatusCode,
                null,
                $"Central answered {method} {StripQuery(pathAndQuery)} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
    }

    private static string StripQuery(string pathAndQuery) =>
        pathAndQuery.IndexOf('?', StringComparison.Ordinal) is var index and >= 0 ? pathAndQuery[..index] : pathAndQuery;
}
