using System.Net;
using System.Text;
using SiteSync.Protocol.Client;
using SiteSync.Protocol.Sync;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

public sealed class SyncApiClientTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private readonly HttpClient _http;

    public SyncApiClientTests() => _http = new HttpClient(_central, disposeHandler: false);

    private SyncApiClient Client(string password = FakeCentral.Password, Uri? url = null) => new(
        _http,
        url ?? FakeCentral.Url,
        new SyncCredentials(FakeCentral.SiteName, SyncCredentials.HashPassword(password), "hw-1", SyncCredentials.SiteSyncRemoteAppName, "1.2.3"));

    [Fact]
    public void PasswordHashIsLowercaseSha256HexOfTheReferenceVector()
    {
        var hash = SyncCredentials.HashPassword("password");

        Assert.Equal("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", hash);
    }

    [Fact]
    public async Task EveryRequestCarriesTheFourHeadersAndBasicAuthWithThePasswordHash()
    {
        await Client().GetSiteInfoAsync(TestContext.Current.CancellationToken);

        var headers = Assert.Single(_central.Requests).Headers;
        Assert.Equal("hw-1", headers["msupply-site-uuid"]);
        Assert.Equal("SiteSync Remote", headers["app-name"]);
        Assert.Equal("1.2.3", headers["app-version"]);
        Assert.Equal("14", headers["version"]);
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeCentral.SiteName}:{FakeCentral.PasswordSha256}"));
        Assert.Equal("Basic " + expected, headers["authorization"]);
    }

    [Fact]
    public async Task PushBodyIsCompactJsonWithoutContentType()
    {
        await Client().PushQueuedRecordsAsync(new RemoteSyncBatch(0, null), TestContext.Current.CancellationToken);

        var request = Assert.Single(_central.Requests);
        Assert.Null(request.ContentType);
        Assert.Equal("""{"queueLength":0,"data":[]}""", request.Body);
    }

    [Fact]
    public async Task AcknowledgementSendsSyncIdsKey()
    {
        await Client().AcknowledgeRecordsAsync(["a", "b"], TestContext.Current.CancellationToken);

        Assert.Equal("""{"syncIDs":["a","b"]}""", Assert.Single(_central.Requests).Body);
    }

    [Fact]
    public async Task InitialiseSendsEmptyObject()
    {
        await Client().InitialiseAsync(TestContext.Current.CancellationToken);

        var request = Assert.Single(_central.Requests);
        Assert.Equal("{}", request.Body);
        Assert.Null(request.ContentType);
    }

    [Fact]
    public async Task CentralRecordsSendsCursorAndLimit()
    {
        await Client(url: new Uri("http://central.test:5080")).GetCentralRecordsAsync(42, 17, TestContext.Current.CancellationToken);

        Assert.Equal("http://central.test:5080/sync/v5/central_records?cursor=42&limit=17", Assert.Single(_central.Requests).Uri.ToString());
    }

    [Theory]
    [InlineData("http://central.test:5080", "http://central.test:5080/sync/v5/site")]
    [InlineData("http://central.test:5080/", "http://central.test:5080/sync/v5/site")]
    [InlineData("https://proxy.test/sitesync", "https://proxy.test/sitesync/sync/v5/site")]
    [InlineData("https://proxy.test/a/sitesync/", "https://proxy.test/a/sitesync/sync/v5/site")]
    public async Task ACentralBehindAProxySubPathIsReachedBelowThatPath(string server, string expected)
    {
        try
        {
            await Client(url: new Uri(server)).GetSiteInfoAsync(TestContext.Current.CancellationToken);
        }
        catch (SyncApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            // The fake central serves the root path only; the request it saw is what matters.
        }

        Assert.Equal(expected, Assert.Single(_central.Requests).Uri.ToString());
    }

    [Fact]
    public async Task ErrorEnvelopeBecomesSyncApiExceptionWithTheServersCode()
    {
        var exception = await Assert.ThrowsAsync<SyncApiException>(
            () => Client(password: "wrong").GetSiteInfoAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.Equal(SyncErrorCodes.SiteIncorrectPassword, exception.ErrorCode);
        Assert.Equal("Incorrect password", exception.Message);
    }

    [Fact]
    public async Task ErrorWithoutEnvelopeBecomesSyncApiExceptionWithoutCode()
    {
        _central.Fault = (_, _) => Task.FromResult<HttpResponseMessage?>(
            new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge) { Content = new StringContent("<html>too big</html>") });

        var exception = await Assert.ThrowsAsync<SyncApiException>(
            () => Client().GetQueuedRecordsAsync(10, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, exception.StatusCode);
        Assert.Null(exception.ErrorCode);
    }

    [Fact]
    public async Task SuccessBodyOfTheWrongShapeBecomesSyncApiException()
    {
        _central.Fault = (_, _) => Task.FromResult<HttpResponseMessage?>(FakeCentral.Json("""{"unexpected":true}"""));

        await Assert.ThrowsAsync<SyncApiException>(() => Client().GetSiteInfoAsync(TestContext.Current.CancellationToken));
    }

    private static readonly Dictionary<string, Func<SyncApiClient, CancellationToken, Task>> Endpoints = new()
    {
        ["GET /sync/v5/site"] = (c, t) => c.GetSiteInfoAsync(t),
        ["GET /sync/v5/site_status"] = (c, t) => c.GetSiteStatusAsync(t),
        ["POST /sync/v5/initialise"] = (c, t) => c.InitialiseAsync(t),
        ["GET /sync/v5/queued_records"] = (c, t) => c.GetQueuedRecordsAsync(10, t),
        ["POST /sync/v5/queued_records"] = (c, t) => c.PushQueuedRecordsAsync(new RemoteSyncBatch(0, null), t),
        ["POST /sync/v5/acknowledged_records"] = (c, t) => c.AcknowledgeRecordsAsync(["a"], t),
        ["GET /sync/v5/central_records"] = (c, t) => c.GetCentralRecordsAsync(0, 10, t),
        ["POST /sync/v5/integrity"] = (c, t) => c.CheckIntegrityAsync(new IntegrityRequest(0, 0, []), t),
        ["POST /sync/v5/integrity/records"] = (c, t) => c.GetIntegrityRecordsAsync(new IntegrityRecordsRequest("item", null, null, 10), t),
        ["POST /sync/v5/integrity/report"] = (c, t) => c.ReportIntegrityAsync(new IntegrityReport("audit-1", 0, []), t),
    };

    public static TheoryData<string> EndpointNames => [.. Endpoints.Keys];

    /// <summary>Reliability plan F5 (blackhole): central accepts the request and never answers. Every endpoint gives up after the
    /// request timeout on the client's clock, with a <see cref="TimeoutException"/> that names the request.</summary>
    [Theory, MemberData(nameof(EndpointNames))]
    public async Task EveryEndpointGivesUpAfterTheRequestTimeoutWhenCentralNeverAnswers(string endpoint)
    {
        var clock = new SteppedClock();
        var timeout = TimeSpan.FromSeconds(20);
        var client = new SyncApiClient(
            _http, FakeCentral.Url,
            new SyncCredentials(FakeCentral.SiteName, FakeCentral.PasswordSha256, "hw-1", SyncCredentials.SiteSyncRemoteAppName, "1.2.3"),
            timeout, clock);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _central.Fault = async (_, token) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return null;
        };

        var call = Endpoints[endpoint](client, TestContext.Current.CancellationToken);
        await arrived.Task.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(timeout - TimeSpan.FromMilliseconds(1));
        var stillWaiting = !call.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.True(stillWaiting, "the request gave up before its timeout");
        Assert.Equal(endpoint, Assert.Single(_central.Requests).Endpoint);
        Assert.Contains(endpoint, exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(exception.InnerException);
    }

    [Fact]
    public async Task CancellingARequestIsACancellationNotATimeout()
    {
        var client = new SyncApiClient(
            _http, FakeCentral.Url,
            new SyncCredentials(FakeCentral.SiteName, FakeCentral.PasswordSha256, "hw-1", SyncCredentials.SiteSyncRemoteAppName, "1.2.3"),
            TimeSpan.FromSeconds(20), new SteppedClock());
        _central.Fault = async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return null;
        };
        using var cancel = new CancellationTokenSource();

        var call = client.GetSiteInfoAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public void CredentialsNeverShowThePasswordHash()
    {
        var credentials = new SyncCredentials("s", FakeCentral.PasswordSha256, "hw", "a", "1.0.0");

        Assert.DoesNotContain(FakeCentral.PasswordSha256, credentials.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        _central.Dispose();
    }
}
