using System.Text.Json.Nodes;
using SiteSync.Protocol.Client;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

public sealed class SyncCycleTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private readonly List<TestSite> _sites = [];

    private async Task<TestSite> SiteAsync(Action<RemoteSiteOptions>? configure = null)
    {
        var site = await TestSite.CreateAsync(_central, configure: configure);
        _sites.Add(site);
        return site;
    }

    private void SeedCentral()
    {
        _central.UpsertCentral("item", """{"ID":"item-a","name":"Amoxicillin"}""");
        _central.UpsertCentral("name", """{"ID":"name-s1","name":"Store one"}""");
        _central.AddStore("store-1", FakeCentral.SiteId);
        _central.AddStore("store-other", 99);
        _central.AddInitialiseData("transact", """{"ID":"t-1","store_ID":"store-1","name_ID":"name-s1"}""");
        _central.AddInitialiseData("trans_line", """{"ID":"tl-1","transaction_ID":"t-1","item_ID":"item-a"}""");
        _central.AddInitialiseData("name_store_join", """{"ID":"nsj-1","store_ID":"store-1","name_ID":"name-s1"}""");
    }

    [Fact]
    public async Task FirstSyncInitialisesPullsBothChannelsAndIntegrates()
    {
        SeedCentral();
        using var site = await SiteAsync();

        var report = await site.SyncAsync();

        Assert.Equal(SyncOutcomes.Ok, report.Outcome);
        Assert.Equal(4, report.PulledCentral);
        Assert.Equal(3, report.PulledQueue);
        Assert.Equal(["store-1"], report.ActiveStoreIds);
        Assert.Equal(7, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records"));
        Assert.Equal(0, _central.QueueLength);
        Assert.Equal("store-1", (await site.Site.GetRecordAsync("trans_line", "tl-1", TestContext.Current.CancellationToken))!.StoreId);
    }

    [Fact]
    public async Task FirstSyncCallsTheEndpointsInTheRealClientsOrder()
    {
        SeedCentral();
        using var site = await SiteAsync();

        await site.SyncAsync();

        Assert.Equal(
            [
                "GET /sync/v5/site", "POST /sync/v5/initialise",
                "GET /sync/v5/central_records", "GET /sync/v5/central_records",
                "GET /sync/v5/queued_records", "POST /sync/v5/acknowledged_records", "GET /sync/v5/queued_records",
            ],
            _central.Requests.Select(r => r.Endpoint));
    }

    [Fact]
    public async Task IdleCycleSendsSiteFinalPushStatusAndBothPulls()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        _central.Requests.Clear();

        var report = await site.SyncAsync();

        Assert.Equal(
            ["GET /sync/v5/site", "POST /sync/v5/queued_records", "GET /sync/v5/site_status", "GET /sync/v5/central_records", "GET /sync/v5/queued_records"],
            _central.Requests.Select(r => r.Endpoint));
        Assert.Equal("""{"queueLength":0,"data":[]}""", _central.Requests[1].Body);
        Assert.Equal(0, report.PulledCentral + report.PulledQueue);
    }

    [Fact]
    public async Task InitialiseIsNotRequestedAgainAfterTheFirstSync()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();

        await site.SyncAsync();

        Assert.Equal(1, _central.InitialiseCalls);
    }

    [Fact]
    public async Task CentralReportingInitialisationStartedIsPolledInsteadOfInitialisedAgain()
    {
        SeedCentral();
        _central.InitialisationStatus = InitialisationStatuses.Started;
        using var site = await SiteAsync();

        await site.SyncAsync();

        Assert.Equal(0, _central.InitialiseCalls);
        Assert.Contains(_central.Requests, r => r.Endpoint == "GET /sync/v5/site_status");
    }

    [Fact]
    public async Task PushSendsBatchesWithRemainingCountsThenTheFinalEmptyBatch()
    {
        SeedCentral();
        using var site = await SiteAsync(o => o.MaxAttempts = 1);
        await site.SyncAsync();
        await site.Site.SetConfigAsync("request-size-min", "2", null, TestContext.Current.CancellationToken);
        await site.Site.SetConfigAsync("request-size-max", "2", null, TestContext.Current.CancellationToken);
        var lines = string.Join(',', Enumerable.Range(1, 5).Select(i => $$"""{"ID":"l-{{i}}","store_ID":"store-1"}"""));
        await site.Site.PutRecordsAsync("Location", $"[{lines}]", TestContext.Current.CancellationToken);
        _central.Requests.Clear();

        var report = await site.SyncAsync();

        var pushes = _central.Requests.Where(r => r.Endpoint == "POST /sync/v5/queued_records").ToList();
        Assert.Equal([5L, 3L, 1L, 0L], pushes.Select(p => (long)JsonNode.Parse(p.Body!)!["queueLength"]!));
        Assert.Equal([2, 2, 1, 0], pushes.Select(p => JsonNode.Parse(p.Body!)!["data"]!.AsArray().Count));
        Assert.Equal(5, report.Pushed);
        Assert.All(Enumerable.Range(1, 5), i => Assert.Equal(1, _central.IntegrationCounts[("Location", $"l-{i}")]));
    }

    [Fact]
    public async Task PushedRecordsCarryTheChangeLogCursorAndUpdateAction()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        await site.Site.PutRecordsAsync("Location", """{"ID":"loc-1","store_ID":"store-1","code":"A1"}""", TestContext.Current.CancellationToken);
        _central.Requests.Clear();

        await site.SyncAsync();

        var record = JsonNode.Parse(_central.Requests.First(r => r.Endpoint == "POST /sync/v5/queued_records").Body!)!["data"]![0]!;
        Assert.Equal("1", (string)record["syncOutId"]!);
        Assert.Equal("Update", (string)record["action"]!);
        Assert.Equal("A1", (string)record["recordData"]!["code"]!);
    }

    [Fact]
    public async Task RecordsFromCentralAreNeverPushedBack()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        _central.UpsertCentral("item", """{"ID":"item-b","name":"Paracetamol"}""");
        _central.Enqueue("transact", """{"ID":"t-2","store_ID":"store-1"}""");
        await site.SyncAsync();
        await site.Site.PutRecordsAsync("transact", """{"ID":"t-3","store_ID":"store-1"}""", TestContext.Current.CancellationToken);

        await site.SyncAsync();
        await site.SyncAsync();

        Assert.Equal([("transact", "t-3")], _central.Pushed.Keys);
    }

    [Fact]
    public async Task SeveralEditsOfOneRecordArePushedOnceWithTheLatestData()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        await site.Site.PutRecordsAsync("transact", """{"ID":"t-9","store_ID":"store-1","comment":"first"}""", TestContext.Current.CancellationToken);
        await site.Site.PutRecordsAsync("transact", """{"ID":"t-9","store_ID":"store-1","comment":"second"}""", TestContext.Current.CancellationToken);
        _central.Requests.Clear();

        await site.SyncAsync();

        var first = JsonNode.Parse(_central.Requests.First(r => r.Endpoint == "POST /sync/v5/queued_records").Body!)!;
        Assert.Equal(1L, (long)first["queueLength"]!);
        Assert.Contains("second", _central.Pushed[("transact", "t-9")], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinalPushAnsweredWithoutIntegrationFailsTheCycle()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        _central.StartsIntegration = false;

        var exception = await Assert.ThrowsAsync<SyncCycleException>(() => site.SyncAsync());

        Assert.Equal(SyncCycleErrorCodes.IntegrationNotStarted, exception.Code);
    }

    [Fact]
    public async Task CentralStillIntegratingAfterTheTimeoutFailsTheCycleBeforePulling()
    {
        SeedCentral();
        var clock = new SteppedClock();
        // The real client's timing: a poll every second, at most 30 s; the clock moves only while the site waits to poll.
        using var site = await TestSite.CreateAsync(_central, configure: o =>
        {
            o.IntegrationPollPeriod = TimeSpan.FromSeconds(1);
            o.IntegrationTimeout = TimeSpan.FromSeconds(30);
        }, time: clock);
        await site.SyncAsync();
        _central.StatusPollsPerIntegration = int.MaxValue;
        _central.Requests.Clear();

        var exception = await Assert.ThrowsAsync<SyncCycleException>(
            () => clock.DriveAsync(site.SyncAsync(), site.Options.IntegrationPollPeriod, TestContext.Current.CancellationToken));

        Assert.Equal(SyncCycleErrorCodes.IntegrationTimeoutReached, exception.Code);
        // Polls at once, then after waits of 1/8, 1/4 and 1/2 s, then every second until 30 s have passed (the last at 30.875 s).
        Assert.Equal(4 + 30, _central.Requests.Count(r => r.Endpoint == "GET /sync/v5/site_status"));
        Assert.DoesNotContain(_central.Requests, r => r.Endpoint == "GET /sync/v5/central_records");
    }

    [Fact]
    public async Task AnEmptyCyclePollsCentralAtOnceAndNeverWaits()
    {
        SeedCentral();
        var clock = new SteppedClock();
        using var site = await TestSite.CreateAsync(_central, configure: o => o.IntegrationPollPeriod = TimeSpan.FromSeconds(1), time: clock);
        await site.SyncAsync();
        _central.Requests.Clear();
        var before = clock.GetUtcNow();

        // The clock never moves: a wait before the first poll would never end (the guard then fails the test).
        var report = await site.SyncAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcomes.Ok, report.Outcome);
        Assert.Equal(before, clock.GetUtcNow());
        Assert.Single(_central.Requests, r => r.Endpoint == "GET /sync/v5/site_status");
    }

    [Fact]
    public async Task StatusPollsBackOffFromAnEighthOfThePollPeriodUpToIt()
    {
        SeedCentral();
        var clock = new SteppedClock();
        using var site = await TestSite.CreateAsync(_central, configure: o => o.IntegrationPollPeriod = TimeSpan.FromSeconds(1), time: clock);
        await site.SyncAsync();
        _central.StatusPollsPerIntegration = 5;
        var waited = new List<TimeSpan>();

        await clock.DriveAsync(site.SyncAsync(), site.Options.IntegrationPollPeriod, TestContext.Current.CancellationToken, waited);

        Assert.Equal([125, 250, 500, 1000, 1000], waited.Select(w => w.TotalMilliseconds));
    }

    [Fact]
    public async Task CycleWaitsForCentralToFinishIntegratingThenPulls()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        _central.StatusPollsPerIntegration = 3;
        _central.Requests.Clear();

        await site.SyncAsync();

        Assert.Equal(4, _central.Requests.Count(r => r.Endpoint == "GET /sync/v5/site_status"));
        Assert.Contains(_central.Requests, r => r.Endpoint == "GET /sync/v5/central_records");
    }

    [Fact]
    public async Task CentralDeletesRemoveRecords()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        _central.DeleteCentral("item", "item-a");

        await site.SyncAsync();

        Assert.Null(await site.Site.GetRecordAsync("item", "item-a", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MergeRepointsLinksToTheKeptRecordAndRemovesTheMergedOne()
    {
        SeedCentral();
        _central.UpsertCentral("item", """{"ID":"item-dup","name":"Amoxicillin (duplicate)"}""");
        _central.Enqueue("trans_line", """{"ID":"tl-2","transaction_ID":"t-1","item_ID":"item-dup"}""");
        using var site = await SiteAsync();
        await site.SyncAsync();
        _central.MergeCentral("item", keep: "item-a", remove: "item-dup");

        await site.SyncAsync();

        Assert.Null(await site.Site.GetRecordAsync("item", "item-dup", TestContext.Current.CancellationToken));
        var line = await site.Site.GetRecordAsync("trans_line", "tl-2", TestContext.Current.CancellationToken);
        Assert.Equal("item-a", (string)JsonNode.Parse(line!.Data)!["item_ID"]!);
    }

    [Fact]
    public async Task UnknownTablesAreKeptAndReported()
    {
        SeedCentral();
        _central.UpsertCentral("brand_new_table", """{"ID":"x-1"}""");
        using var site = await SiteAsync();

        var report = await site.SyncAsync();

        Assert.Equal(["brand_new_table"], report.UnknownTables);
        Assert.NotNull(await site.Site.GetRecordAsync("brand_new_table", "x-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UnknownActionFailsTheBatchWithoutStoringIt()
    {
        SeedCentral();
        _central.Enqueue("transact", """{"ID":"t-5","store_ID":"store-1"}""", action: "Patch");
        using var site = await SiteAsync();

        var exception = await Assert.ThrowsAsync<SyncCycleException>(() => site.SyncAsync());

        Assert.Equal(SyncCycleErrorCodes.InvalidRecord, exception.Code);
        Assert.Empty(_central.Acknowledged);
    }

    [Fact]
    public async Task StoreMovedAwayFromTheSiteIsNoLongerActive()
    {
        SeedCentral();
        using var site = await SiteAsync();
        await site.SyncAsync();
        _central.AddStore("store-1", 99);

        var report = await site.SyncAsync();

        Assert.Empty(report.ActiveStoreIds);
    }

    [Fact]
    public async Task RefusalByCentralFailsTheCycleWithTheServersCodeInTheSyncLog()
    {
        using var site = await SiteAsync();
        _central.BoundHardwareId = "another-device";

        var exception = await Assert.ThrowsAsync<SyncApiException>(() => site.SyncAsync());

        Assert.Equal(SyncErrorCodes.SiteIncorrectHardwareId, exception.ErrorCode);
        var status = await site.Site.GetStatusAsync(TestContext.Current.CancellationToken);
        Assert.Equal(SyncOutcomes.Failed, status.LastCycle!.Outcome);
        Assert.Equal(SyncErrorCodes.SiteIncorrectHardwareId, status.LastCycle.ErrorCode);
    }

    [Fact]
    public async Task SoftStopEndsTheCycleAfterTheBatchInFlightAndTheNextCycleResumes()
    {
        for (var i = 0; i < 30; i++)
        {
            _central.UpsertCentral("item", $$"""{"ID":"item-{{i}}"}""");
        }

        using var site = await SiteAsync();
        await site.Site.SetConfigAsync("request-size-max", "10", null, TestContext.Current.CancellationToken);
        using var stop = new CancellationTokenSource();
        var progress = new SyncProgressRecorder(p => { if (p.Phase == SyncPhases.PullCentral) { stop.Cancel(); } });

        var stopped = await site.SyncAsync(new SyncCycleOptions { Progress = progress, StopAfterBatch = stop.Token });
        var resumed = await site.SyncAsync();

        Assert.Equal(SyncOutcomes.Stopped, stopped.Outcome);
        Assert.Equal(10, stopped.PulledCentral);
        Assert.Equal(20, resumed.PulledCentral);
        Assert.Equal(30, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records WHERE table_name = 'item'"));
    }

    [Fact]
    public async Task CheckReportsOkWithoutSyncing()
    {
        using var site = await SiteAsync();

        var result = await site.Site.CheckAsync(TestContext.Current.CancellationToken);

        Assert.True(result.IsOk);
        Assert.Equal(["GET /sync/v5/site", "GET /sync/v5/site_status"], _central.Requests.Select(r => r.Endpoint));
    }

    [Fact]
    public async Task CheckReportsTheServersErrorCode()
    {
        using var site = await SiteAsync();
        _central.BoundHardwareId = "another-device";

        var result = await site.Site.CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SyncErrorCodes.SiteIncorrectHardwareId, result.Code);
        Assert.Equal(401, result.HttpStatus);
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

/// <summary>Calls back synchronously (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
internal sealed class SyncProgressRecorder(Action<SyncProgress> onReport) : IProgress<SyncProgress>
{
    public List<SyncProgress> Reports { get; } = [];

    public void Report(SyncProgress value)
    {
        Reports.Add(value);
        onReport(value);
    }
}
