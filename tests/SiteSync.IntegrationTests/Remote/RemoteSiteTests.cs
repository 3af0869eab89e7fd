using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SiteSync.Remote;
using SiteSync.Remote.Sync;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Remote;

/// <summary>The real SiteSync.Remote engine against the real central over a socket: two remote sites.</summary>
public sealed class RemoteSiteTests
{
    private static (RemoteSite Site, HttpClient Http, string Directory) Remote(TestCentral central, string siteName, string hardwareId)
    {
        var directory = Path.Combine(Path.GetTempPath(), "sitesync-it-remote", Guid.NewGuid().ToString("N"));
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var site = new RemoteSite(http, new RemoteSiteOptions { DataDirectory = directory, HardwareId = hardwareId });
        return (site, http, directory);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TwoRemotesGetCentralDataEachPushesOnlyItsOwnStoreAndNothingIsEchoed(Engine engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var central = await TestCentral.StartAsync(engine);
        var (storeA, _) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        var (storeB, _) = await SyncScenario.SiteWithStoreAsync(central, "site-b", "SB");
        await SyncScenario.AddItemsAsync(central, 250);
        var (a, httpA, dirA) = Remote(central, "site-a", "hw-a");
        var (b, httpB, dirB) = Remote(central, "site-b", "hw-b");
        try
        {
            await a.InitAsync(new RemoteSetup(central.BaseAddress, "site-a", SyncScenario.SitePassword), ct);
            await b.InitAsync(new RemoteSetup(central.BaseAddress, "site-b", SyncScenario.SitePassword), ct);
            var firstA = await a.SyncAsync(null, ct);
            await b.SyncAsync(null, ct);

            await a.PutRecordsAsync("transact", SyncScenario.Transaction("t-a1", storeA.Id).ToJsonString(), ct);
            await a.PutRecordsAsync("trans_line", SyncScenario.Line("l-a1", "t-a1").ToJsonString(), ct);
            var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
                () => b.PutRecordsAsync("transact", SyncScenario.Transaction("t-b-for-a", storeA.Id).ToJsonString(), ct));
            var pushA = await a.SyncAsync(null, ct);
            var nextA = await a.SyncAsync(null, ct);
            var nextB = await b.SyncAsync(null, ct);

            Assert.Equal([storeA.Id], firstA.ActiveStoreIds);
            Assert.Equal(RefusalCodes.StoreNotActive, refusal.Code);
            Assert.Equal(2, pushA.Pushed);
            Assert.Equal((0, 0), (nextA.PulledCentral, nextA.PulledQueue));
            Assert.Null(await b.GetRecordAsync("transact", "t-a1", ct));
            Assert.Equal(250, (await a.ListRecordsAsync("item", null, ct)).Count);
            Assert.Equal(250, (await b.ListRecordsAsync("item", null, ct)).Count);
            Assert.Equal(0, nextB.PulledQueue);
            var onCentral = await central.QueryAsync(db => db.Records.Where(r => r.TableName == "trans_line" || r.TableName == "transact")
                .Select(r => new { r.RecordId, r.StoreId }).ToListAsync(ct));
            Assert.Equal(["l-a1", "t-a1"], onCentral.Select(r => r.RecordId).Order());
            Assert.All(onCentral, r => Assert.Equal(storeA.Id, r.StoreId));
            Assert.Equal(storeB.Id, Assert.Single((await b.GetStatusAsync(ct)).ActiveStoreIds));
        }
        finally
        {
            httpA.Dispose();
            httpB.Dispose();
            Delete(dirA);
            Delete(dirB);
        }
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CentralEditReachesTheRemoteAtItsNextCycle(Engine engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        await SyncScenario.AddItemsAsync(central, 3);
        var (a, http, dir) = Remote(central, "site-a", "hw-a");
        try
        {
            await a.InitAsync(new RemoteSetup(central.BaseAddress, "site-a", SyncScenario.SitePassword), ct);
            await a.SyncAsync(null, ct);
            await central.Admin.UpsertRecordsAsync("""{"item":[{"ID":"item-000001","code":"C1","item_name":"Renamed","type_of":"general"}]}""");

            var report = await a.SyncAsync(null, ct);

            Assert.Equal(SyncOutcomes.Ok, report.Outcome);
            var item = await a.GetRecordAsync("item", "item-000001", ct);
            Assert.Equal("Renamed", (string)JsonNode.Parse(item!.Data)!["item_name"]!);
        }
        finally
        {
            http.Dispose();
            Delete(dir);
        }
    }

    internal static void Delete(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
