using System.Net;
using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>Reliability plan F4: a cycle that dies anywhere is resumed by the next one with nothing lost, nothing applied twice,
/// nothing echoed. The fault is an exception thrown inside the request (as a killed process or a cut link would leave it).</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private readonly List<TestSite> _sites = [];

    private async Task<TestSite> SiteAsync()
    {
        var site = await TestSite.CreateAsync(_central, configure: o => o.MaxAttempts = 1);
        _sites.Add(site);
        await site.Site.SetConfigAsync("request-size-min", "10", null, TestContext.Current.CancellationToken);
        await site.Site.SetConfigAsync("request-size-max", "10", null, TestContext.Current.CancellationToken);
        return site;
    }

    private void SeedCentral(int items, int queued)
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        for (var i = 0; i < items; i++)
        {
            _central.UpsertCentral("item", $$"""{"ID":"item-{{i}}"}""");
        }

        for (var i = 0; i < queued; i++)
        {
            _central.AddInitialiseData("transact", $$"""{"ID":"t-{{i}}","store_ID":"store-1"}""");
        }
    }

    /// <summary>Fails the <paramref name="nth"/> request to <paramref name="endpoint"/> (1-based), once.</summary>
    private void FailOnce(string endpoint, int nth)
    {
        var seen = 0;
        _central.Fault = (request, _) =>
        {
            if (request.Endpoint == endpoint && ++seen == nth)
            {
                throw new HttpRequestException("injected: connection reset");
            }

            return Task.FromResult<HttpResponseMessage?>(null);
        };
    }

    [Fact]
    public async Task CycleFailingMidCentralPullResumesFromTheStoredCursor()
    {
        SeedCentral(items: 35, queued: 0);
        using var site = await SiteAsync();
        FailOnce("GET /sync/v5/central_records", nth: 3);

        await Assert.ThrowsAsync<HttpRequestException>(() => site.SyncAsync());
        _central.Requests.Clear();
        var resumed = await site.Reopen().SyncAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal("cursor=20&limit=10", _central.Requests.First(r => r.Path == "/sync/v5/central_records").Query.TrimStart('?'));
        Assert.Equal(16, resumed.PulledCentral);
        Assert.Equal(35, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records WHERE table_name = 'item'"));
    }

    [Fact]
    public async Task TheNextChangeLogPageIsAskedForWhileThePageIsStoredSayingTheStoredCursor()
    {
        SeedCentral(items: 35, queued: 0);
        using var site = await SiteAsync();

        var report = await site.SyncAsync();

        Assert.Equal(
            ["cursor=0&limit=10", "cursor=10&limit=10&stored=0", "cursor=20&limit=10&stored=10", "cursor=30&limit=10&stored=20", "cursor=36&limit=10&stored=30"],
            _central.Requests.Where(r => r.Path == "/sync/v5/central_records").Select(r => r.Query.TrimStart('?')));
        Assert.Equal(36, report.PulledCentral); // the 35 items and the store
        Assert.Equal(35, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records WHERE table_name = 'item'"));
    }

    [Fact]
    public async Task StoringAPageFailingWhileTheNextIsAskedForDropsItAndTheNextCycleAsksFromTheStoredCursor()
    {
        SeedCentral(items: 35, queued: 0);
        using var site = await SiteAsync();
        await site.Site.GetStatusAsync(TestContext.Current.CancellationToken);
        // A real SQLite trigger aborts storing the second page, while the third is already asked for.
        await site.ExecuteAsync(
            "CREATE TRIGGER poison BEFORE INSERT ON incoming WHEN NEW.record_id = 'item-15' BEGIN SELECT RAISE(ABORT, 'injected'); END");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => site.SyncAsync());
        var asked = _central.Requests.Where(r => r.Path == "/sync/v5/central_records").Select(r => r.Query.TrimStart('?')).ToList();
        var buffered = await site.ScalarAsync<long>("SELECT COUNT(*) FROM incoming");
        await site.ExecuteAsync("DROP TRIGGER poison");
        _central.Requests.Clear();
        var resumed = await site.Reopen().SyncAsync(null, TestContext.Current.CancellationToken);

        Assert.Contains("injected", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["cursor=0&limit=10", "cursor=10&limit=10&stored=0", "cursor=20&limit=10&stored=10"], asked);
        Assert.Equal(10, buffered);
        Assert.Equal("cursor=10&limit=10", _central.Requests.First(r => r.Path == "/sync/v5/central_records").Query.TrimStart('?'));
        Assert.Equal(26, resumed.PulledCentral);
        Assert.Equal(35, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records WHERE table_name = 'item'"));
    }

    [Fact]
    public async Task RecordsStoredButNotAcknowledgedComeAgainAndAreAppliedOnce()
    {
        SeedCentral(items: 0, queued: 25);
        using var site = await SiteAsync();
        FailOnce("POST /sync/v5/acknowledged_records", nth: 2);

        await Assert.ThrowsAsync<HttpRequestException>(() => site.SyncAsync());
        var bufferedBeforeResume = await site.ScalarAsync<long>("SELECT COUNT(*) FROM incoming WHERE source = 'queue'");
        await site.Reopen().SyncAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(20, bufferedBeforeResume);
        Assert.Equal(25, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records WHERE table_name = 'transact'"));
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT COUNT(*) FROM incoming"));
        Assert.Equal(0, _central.QueueLength);
        Assert.Equal(25, _central.Acknowledged.Count);
    }

    [Fact]
    public async Task CycleFailingMidPushResumesAfterTheLastAcceptedBatch()
    {
        SeedCentral(items: 0, queued: 0);
        using var site = await SiteAsync();
        await site.SyncAsync();
        var records = string.Join(',', Enumerable.Range(0, 25).Select(i => $$"""{"ID":"loc-{{i}}","store_ID":"store-1"}"""));
        await site.Site.PutRecordsAsync("Location", $"[{records}]", TestContext.Current.CancellationToken);
        FailOnce("POST /sync/v5/queued_records", nth: 2);

        await Assert.ThrowsAsync<HttpRequestException>(() => site.SyncAsync());
        _central.Requests.Clear();
        var resumed = await site.Reopen().SyncAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(15, resumed.Pushed);
        Assert.Equal(25, _central.IntegrationCounts.Count);
        Assert.All(_central.IntegrationCounts.Values, count => Assert.Equal(1, count));
        Assert.All(_central.Pushed.Keys, key => Assert.Equal("Location", key.Table));
    }

    [Fact]
    public async Task CycleFailingMidIntegrationAppliesNothingAndTheNextCycleAppliesEverything()
    {
        SeedCentral(items: 12, queued: 12);
        using var site = await SiteAsync();
        await site.Site.GetStatusAsync(TestContext.Current.CancellationToken);
        // A real SQLite trigger aborts the integration transaction halfway through the upserts.
        await site.ExecuteAsync(
            "CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.record_id = 't-5' BEGIN SELECT RAISE(ABORT, 'injected'); END");

        await Assert.ThrowsAnyAsync<Exception>(() => site.SyncAsync());
        var appliedAfterFailure = await site.ScalarAsync<long>("SELECT COUNT(*) FROM records");
        var bufferedAfterFailure = await site.ScalarAsync<long>("SELECT COUNT(*) FROM incoming");
        await site.ExecuteAsync("DROP TRIGGER poison");
        var resumed = await site.Reopen().SyncAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(0, appliedAfterFailure);
        Assert.Equal(25, bufferedAfterFailure);
        Assert.Equal(SyncOutcomes.Ok, resumed.Outcome);
        Assert.Equal(25, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records"));
        Assert.Equal(0, _central.QueueLength);
    }

    [Fact]
    public async Task SyncLogShowsAFailedCycleAndTheSuccessfulOneAfterIt()
    {
        SeedCentral(items: 15, queued: 0);
        using var site = await SiteAsync();
        FailOnce("GET /sync/v5/central_records", nth: 2);

        await Assert.ThrowsAsync<HttpRequestException>(() => site.SyncAsync());
        var failed = await site.Site.GetStatusAsync(TestContext.Current.CancellationToken);
        await site.SyncAsync();
        var ok = await site.Site.GetStatusAsync(TestContext.Current.CancellationToken);

        Assert.Equal((SyncOutcomes.Failed, "connection_error"), (failed.LastCycle!.Outcome, failed.LastCycle.ErrorCode));
        Assert.Equal(SyncOutcomes.Ok, ok.LastCycle!.Outcome);
        Assert.NotNull(ok.LastSuccessfulSyncAt);
    }

    [Fact]
    public async Task ServerErrorIsRetriedWithinTheCycle()
    {
        SeedCentral(items: 5, queued: 0);
        var site = await TestSite.CreateAsync(_central, configure: o => o.MaxAttempts = 3);
        _sites.Add(site);
        var seen = 0;
        _central.Fault = (request, _) => Task.FromResult(request.Path == "/sync/v5/central_records" && ++seen == 1
            ? FakeCentral.Error(HttpStatusCode.ServiceUnavailable, "sync_is_running", "busy")
            : null);

        var report = await site.SyncAsync();

        Assert.Equal(6, report.PulledCentral);
    }

    public void Dispose()
    {
        foreach (var site in _sites)
        {
            site.Dispose();
        }

        _central.Dispose();
    }
}
