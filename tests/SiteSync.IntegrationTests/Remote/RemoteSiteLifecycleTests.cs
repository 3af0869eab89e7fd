using System.Text.Json.Nodes;
using SiteSync.Remote;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Remote;

/// <summary>Issue 4's end-to-end cases with the real engine against the real central: a store moved between two
/// remotes, pausing and resuming, and <c>check</c> reporting the server's own error.</summary>
public sealed class RemoteSiteLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AStoreMovedToAnotherRemoteArrivesWithAllItsDataTheOldSiteRefusesFurtherEditsAndACentralChangeReachesBoth(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (moving, _) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        var (_, siteB) = await SyncScenario.SiteWithStoreAsync(central, "site-b", "SB");
        await using var a = await TestRemote.StartAsync(central, "site-a", "hw-a");
        await using var b = await TestRemote.StartAsync(central, "site-b", "hw-b");
        await a.Site.SyncAsync(null, Ct);
        await b.Site.SyncAsync(null, Ct);
        var transactions = new JsonArray([.. Enumerable.Range(0, 120).Select(i => (JsonNode)SyncScenario.Transaction($"t{i:D3}", moving.Id))]);
        await a.Site.PutRecordsAsync("transact", transactions.ToJsonString(), Ct);
        await a.Site.PutRecordsAsync("trans_line", SyncScenario.Line("l000", "t000").ToJsonString(), Ct);
        await a.Site.SyncAsync(null, Ct);

        var moved = await central.Admin.UpdateSiteAsync(siteB.Id, AdminClient.EditOf(await central.Admin.GetSiteAsync(siteB.Id)) with
        {
            StoreIds = [.. (await central.Admin.GetSiteAsync(siteB.Id)).Stores.Select(s => s.Id), moving.Id],
        });
        await central.Admin.UpsertRecordsAsync("""{"item":[{"ID":"new-item","code":"AMX","item_name":"Amoxicillin","type_of":"general"}]}""");
        var atB = await b.Site.SyncAsync(null, Ct);
        var atA = await a.Site.SyncAsync(null, Ct);
        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => a.Site.PutRecordsAsync("transact", SyncScenario.Transaction("t-late", moving.Id).ToJsonString(), Ct));

        Assert.Equal(["store_moved_away"], moved.Warnings!.Select(w => w.Code));
        Assert.Contains(moving.Id, atB.ActiveStoreIds);
        Assert.Equal(120, (await b.Site.ListRecordsAsync("transact", moving.Id, Ct)).Count);
        Assert.NotNull(await b.Site.GetRecordAsync("trans_line", "l000", Ct));
        Assert.DoesNotContain(moving.Id, atA.ActiveStoreIds);
        Assert.Equal(RefusalCodes.StoreNotActive, refusal.Code);
        Assert.NotNull(await a.Site.GetRecordAsync("item", "new-item", Ct));
        Assert.NotNull(await b.Site.GetRecordAsync("item", "new-item", Ct));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task IntervalZeroPausesTheRunLoopAndSettingAnIntervalResumesIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        await SyncScenario.AddItemsAsync(central, 25);
        // The remote's clock moves only while its loop waits: an hour of rechecks passes without a sleep.
        var clock = new SteppedClock();
        await using var a = await TestRemote.StartAsync(central, "site-a", "hw-a", intervalMinutes: 0, time: clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cycles = 0;
        var completed = new SemaphoreSlim(0);

        var loop = a.Site.RunAsync(null, _ => { Interlocked.Increment(ref cycles); completed.Release(); }, _ => completed.Release(), stop.Token);
        for (var minute = 0; minute < 60; minute++)
        {
            await clock.AdvanceWhenWaitingAsync(TestRemote.RecheckPeriod, Ct);
        }
        var whilePaused = (Volatile.Read(ref cycles), (await central.Admin.GetSiteAsync(site.Id)).LastConnectedAt);
        await a.Site.SetConfigAsync("interval", "5", null, Ct);
        await clock.AdvanceWhenWaitingAsync(TestRemote.RecheckPeriod, Ct);
        Assert.True(await completed.WaitAsync(TimeSpan.FromSeconds(30), Ct), "no cycle ran after the interval was set");
        await stop.CancelAsync();
        await loop;

        Assert.Equal((0, (DateTimeOffset?)null), whilePaused);
        Assert.Equal(1, Volatile.Read(ref cycles));
        Assert.Equal(25, (await a.Site.ListRecordsAsync("item", null, Ct)).Count);
        Assert.NotNull((await central.Admin.GetSiteAsync(site.Id)).LastSyncedAt);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CheckReportsAWrongPasswordWithTheServersErrorCode(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        await using var wrong = await TestRemote.StartAsync(central, "site-a", "hw-a", password: "not-the-password");
        await using var right = await TestRemote.StartAsync(central, "site-a", "hw-a");

        var refused = await wrong.Site.CheckAsync(Ct);
        var ok = await right.Site.CheckAsync(Ct);

        Assert.Equal(("site_incorrect_password", 401), (refused.Code, refused.HttpStatus));
        Assert.Equal("ok", ok.Code);
    }

    /// <summary>A real remote site in its own data directory, set up against the test central.</summary>
    private sealed class TestRemote : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "sitesync-it-remote", Guid.NewGuid().ToString("N"));

        public static readonly TimeSpan RecheckPeriod = TimeSpan.FromMinutes(1);

        private TestRemote(string hardwareId, TimeProvider? time)
        {
            Site = new RemoteSite(_http, new RemoteSiteOptions
            {
                DataDirectory = _directory,
                HardwareId = hardwareId,
                SettingsRecheckPeriod = RecheckPeriod,
                IntegrationPollPeriod = TimeSpan.FromMilliseconds(100),
            }, time);
        }

        public static async Task<TestRemote> StartAsync(
            TestCentral central, string siteName, string hardwareId, string password = SyncScenario.SitePassword, int? intervalMinutes = null,
            TimeProvider? time = null)
        {
            var remote = new TestRemote(hardwareId, time);
            await remote.Site.InitAsync(new RemoteSetup(central.BaseAddress, siteName, password, IntervalMinutes: intervalMinutes), Ct);
            return remote;
        }

        public RemoteSite Site { get; }

        public ValueTask DisposeAsync()
        {
            _http.Dispose();
            RemoteSiteTests.Delete(_directory);
            return ValueTask.CompletedTask;
        }
    }
}
