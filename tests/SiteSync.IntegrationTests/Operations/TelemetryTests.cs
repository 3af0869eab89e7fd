using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SiteSync.Central.Diagnostics;
using SiteSync.IntegrationTests.Support;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Operations;

/// <summary>Metrics and traces after real syncs: the instruments move, OTLP and Prometheus export them (DESIGN §10).</summary>
public sealed class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASyncWithAPushMovesTheRequestAndRecordCounters(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var (otherStore, _) = await SyncScenario.SiteWithStoreAsync(central, "other", "S2");
        await SyncScenario.AddItemsAsync(central, 30);
        using var metrics = new MetricsRecorder(central.Factory);
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id));
        client.Edit("trans_line", "l1", SyncScenario.Line("l1", "t1"));
        client.Edit("transact", "t2", SyncScenario.Transaction("t2", otherStore.Id));

        await client.SyncAsync();

        Assert.Equal(2, metrics.Sum(SiteSyncMetrics.SyncRequestsName, ("endpoint", "SyncSite"), ("outcome", "ok")));
        Assert.True(metrics.Sum(SiteSyncMetrics.SyncRequestsName, ("endpoint", "SyncPush"), ("outcome", "ok")) >= 2);
        Assert.True(metrics.Sum(SiteSyncMetrics.SyncRequestsName, ("endpoint", "SyncCentralRecords"), ("outcome", "ok")) >= 2);
        Assert.Equal(3, metrics.Sum(SiteSyncMetrics.RecordsPushedName));
        Assert.Equal(2, metrics.Sum(SiteSyncMetrics.RecordsAcceptedName));
        Assert.Equal(1, metrics.Sum(SiteSyncMetrics.RecordsRejectedName));
        Assert.Equal(1, metrics.Count(SiteSyncMetrics.IntegrationDurationName));
        Assert.Contains(metrics.All(SiteSyncMetrics.ChangeLogLagName), m => m.Value >= 30);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task WrongPasswordsAreCountedAsFailuresAndTheBlockOnce(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine, new Dictionary<string, string?> { ["SiteSync:Sync:MaxFailedLogins"] = "3" });
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var metrics = new MetricsRecorder(central.Factory);
        using var client = SyncScenario.Client(central, "clinic");
        client.PasswordSha256 = OmsTestClient.Sha256Hex("a wrong password");

        for (var i = 0; i < 5; i++)
        {
            await client.GetAsync("/sync/v5/site");
        }

        Assert.Equal(2, metrics.Sum(SiteSyncMetrics.AuthFailuresName, ("scheme", "site"), ("code", "site_incorrect_password")));
        Assert.Equal(3, metrics.Sum(SiteSyncMetrics.AuthFailuresName, ("scheme", "site"), ("code", "site_auth_timeout")));
        Assert.Equal(1, metrics.Sum(SiteSyncMetrics.AuthBlocksName));
        Assert.Equal(5, metrics.Sum(SiteSyncMetrics.SyncRequestsName, ("endpoint", "SyncSite"), ("outcome", "refused")));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheGaugesReportWhatASiteHasStillToPullAndCyclesInProgress(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var joins = string.Join(",", Enumerable.Range(0, 25).Select(i =>
            $$"""{"ID":"nsj-{{i}}","name_ID":"n-{{i}}","store_ID":"{{store.Id}}","inactive":false}"""));
        await central.Admin.UpsertRecordsAsync($$"""{"name_store_join":[{{joins}}]}""");
        using var metrics = new MetricsRecorder(central.Factory);
        var sampler = central.Factory.Services.GetRequiredService<SyncStateSampler>();
        using var client = SyncScenario.Client(central, "clinic");
        await client.GetAsync("/sync/v5/site");
        await client.PostAsync("/sync/v5/initialise", "{}");

        await SyncScenario.SiteWithStoreAsync(central, "idle", "S2");
        await sampler.SampleAsync(Ct);
        metrics.Observe();
        var idle = metrics.All(SiteSyncMetrics.QueueDepthName).Count(m => Equals(m.Tags[SiteSyncTracing.SiteIdTag], site.Id + 1) && m.Value == 0);
        var during = (Depth(metrics, site.Id), metrics.All(SiteSyncMetrics.ActiveCyclesName)[^1].Value);
        await client.SyncAsync();
        await sampler.SampleAsync(Ct);
        metrics.Observe();
        var after = (Depth(metrics, site.Id), metrics.All(SiteSyncMetrics.ActiveCyclesName)[^1].Value);

        Assert.True(during.Item1 >= 25, $"queue depth during the cycle: {during.Item1}");
        Assert.Equal(1, during.Item2);
        Assert.Equal((0, 0), after);
        Assert.True(idle > 0, "an idle site reports a depth of 0");
    }

    [Fact]
    public async Task SyncRequestsAndIntegrationsAreSpansOfTheCallersTrace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SiteSyncTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id));
        var trace = ActivityTraceId.CreateRandom();
        client.ExtraHeaders["traceparent"] = $"00-{trace}-{ActivitySpanId.CreateRandom()}-01";

        await client.SyncAsync();

        var ours = spans.Where(s => s.TraceId == trace && s.Source.Name == SiteSyncTracing.SourceName).ToList();
        Assert.Contains(ours, s => s.OperationName == "sync SyncSite" && Equals(s.GetTagItem(SiteSyncTracing.SiteIdTag), site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(ours, s => s.OperationName == "sync SyncPush");
        Assert.Contains(ours, s => s.OperationName == "integrate" && Equals(s.GetTagItem(SiteSyncTracing.SiteIdTag), site.Id));
    }

    /// <remarks>A real process: OpenTelemetry's providers listen to meters by name, process-wide, so servers of other tests in
    /// this process would share (and retire) the same metric streams.</remarks>
    [Fact]
    public async Task WithAnOtlpEndpointMetricsAndTracesReachTheCollector()
    {
        using var collector = new FakeOtlpCollector();
        var directory = Directory.CreateTempSubdirectory("sitesync-otlp-").FullName;
        try
        {
            await using var central = CentralProcess.Start(directory, new Dictionary<string, string?>
            {
                ["SiteSync__Admin__InitialPassword"] = CentralFactory.AdminPassword,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            });
            await central.WaitForOkAsync();
            using var http = new HttpClient { BaseAddress = central.BaseAddress };
            http.DefaultRequestHeaders.Authorization = CentralFactory.BasicHeader("admin", CentralFactory.AdminPassword);
            var admin = new AdminClient(http);
            var store = await admin.CreateStoreAsync("S1", "Store one");
            await admin.CreateSiteAsync("clinic", SyncScenario.SitePassword, storeIds: [store.Id]);
            using var client = new OmsTestClient(central.BaseAddress, "clinic", SyncScenario.SitePassword);

            await client.SyncAsync();

            for (var i = 0; i < 100 && !(Received("/v1/metrics", SiteSyncMetrics.SyncRequestsName) && Received("/v1/traces", "sync SyncSite")); i++)
            {
                await Task.Delay(100, Ct);
            }
            Assert.True(Received("/v1/metrics", SiteSyncMetrics.SyncRequestsName), "no metrics export with the sync request counter");
            Assert.True(Received("/v1/traces", "sync SyncSite"), "no trace export with the sync span");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        bool Received(string path, string text) =>
            collector.Received.Any(r => r.Path == path && r.Body.Contains(text, StringComparison.Ordinal));
    }

    /// <remarks>A real process, for the reason given on the OTLP test.</remarks>
    [Fact]
    public async Task WhenEnabledPrometheusCanScrapeTheInstruments()
    {
        var directory = Directory.CreateTempSubdirectory("sitesync-prometheus-").FullName;
        try
        {
            await using var central = CentralProcess.Start(directory, new Dictionary<string, string?>
            {
                ["SiteSync__Admin__InitialPassword"] = CentralFactory.AdminPassword,
                ["SiteSync__Telemetry__PrometheusEnabled"] = "true",
            });
            await central.WaitForOkAsync();
            using var http = new HttpClient { BaseAddress = central.BaseAddress };
            http.DefaultRequestHeaders.Authorization = CentralFactory.BasicHeader("admin", CentralFactory.AdminPassword);
            var admin = new AdminClient(http);
            var store = await admin.CreateStoreAsync("S1", "Store one");
            await admin.CreateSiteAsync("clinic", SyncScenario.SitePassword, storeIds: [store.Id]);
            using var client = new OmsTestClient(central.BaseAddress, "clinic", SyncScenario.SitePassword);
            await client.SyncAsync();

            var text = await http.GetStringAsync("metrics", Ct);

            Assert.Contains("sitesync_sync_requests_total{", text, StringComparison.Ordinal);
            Assert.Contains("endpoint=\"SyncSite\",outcome=\"ok\"} 1", text, StringComparison.Ordinal);
            Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PrometheusIsOffByDefault()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        using var http = central.Factory.CreateHttpClient();

        using var response = await http.GetAsync("metrics", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static double Depth(MetricsRecorder metrics, int siteId) =>
        metrics.All(SiteSyncMetrics.QueueDepthName).LastOrDefault(m => Equals(m.Tags[SiteSyncTracing.SiteIdTag], siteId)).Value;

    /// <summary>An OTLP/HTTP receiver on a loopback port that answers 200 and keeps what it got (protobuf carries names as
    /// UTF-8, so a name is found in the body as text).</summary>
    private sealed class FakeOtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public FakeOtlpCollector()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Address = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
            }
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Address { get; }

        public ConcurrentQueue<(string Path, string Body)> Received { get; } = new();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Received.Enqueue((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
