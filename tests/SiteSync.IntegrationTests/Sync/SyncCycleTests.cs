using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Whole cycles of the Open mSupply client (reference §3.3) against the real server.</summary>
public sealed class SyncCycleTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task FirstSyncDeliversEveryCentralRecordAndTheStoresDataAcrossSeveralPages(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 1_234);
        await central.Admin.UpsertRecordsAsync(StoreData(store.Id, transactions: 0, joins: 720));
        using var client = SyncScenario.Client(central, "clinic");

        await client.SyncAsync();

        var expectedCentral = await central.QueryAsync(db => db.ChangeLog.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(expectedCentral, client.PulledFromCentral);
        Assert.Equal(1_234, client.Records.Keys.Count(k => k.Table == "item"));
        Assert.Equal(720, client.Records.Keys.Count(k => k.Table == "name_store_join"));
        Assert.Equal(720, client.PulledFromQueue);
        Assert.Equal(site.Id, client.Records[("store", store.Id)]["sync_id_remote_site"]!.GetValue<int>());
        var after = await central.Admin.GetSiteAsync(site.Id);
        Assert.NotNull(after.LastSyncedAt);
        Assert.Equal("completed", after.InitialisationStatus);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task SteadyStateCycleSendsSixRequestsAndPullsNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 10);
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        var pulled = (client.PulledFromCentral, client.PulledFromQueue);
        client.Requests.Clear();

        await client.SyncAsync();

        Assert.Equal(pulled, (client.PulledFromCentral, client.PulledFromQueue));
        Assert.Equal(
            ["GET /sync/v5/site", "POST /sync/v5/queued_records", "GET /sync/v5/site_status", "GET /sync/v5/central_records", "GET /sync/v5/queued_records"],
            client.Requests);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task PushedStoreDataIsStoredOnCentralAndNeverEchoedBack(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id));
        client.Edit("trans_line", "l1", SyncScenario.Line("l1", "t1"));
        var pulledBefore = client.PulledFromQueue;

        await client.SyncAsync();
        await client.SyncAsync();

        Assert.Equal(store.Id, (await central.Admin.GetRecordAsync("transact", "t1"))?.GetProperty("store_ID").GetString());
        Assert.Equal("t1", (await central.Admin.GetRecordAsync("trans_line", "l1"))?.GetProperty("transaction_ID").GetString());
        Assert.Equal(pulledBefore, client.PulledFromQueue);
        Assert.Equal(0, await central.QueryAsync(db => db.Queue.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task RepeatingTheSamePushStoresEachRecordOnce(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        var batch = $$"""{"queueLength":2,"data":[{"syncOutId":"1","tableName":"transact","recordId":"t1","action":"Update","recordData":{{SyncScenario.Transaction("t1", store.Id).ToJsonString()}}},{"syncOutId":"2","tableName":"trans_line","recordId":"l1","action":"Update","recordData":{{SyncScenario.Line("l1", "t1").ToJsonString()}}}]}""";

        // The client may send any POST up to three times (reference §1.5): the same batch, then the final one, repeated.
        foreach (var body in new[] { batch, batch, """{"queueLength":0,"data":[]}""", batch, """{"queueLength":0,"data":[]}""", """{"queueLength":0,"data":[]}""" })
        {
            Assert.Equal(200, (await client.PostAsync("/sync/v5/queued_records", body)).Status);
        }

        var counts = await central.QueryAsync(async db => (
            await db.Records.CountAsync(r => r.SourceSiteId == site.Id, TestContext.Current.CancellationToken),
            await db.PushBuffer.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal((2, 0), counts);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task PushForAStoreNotOnTheSiteIsRejectedAndLoggedWithoutBlockingTheRest(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var (otherStore, _) = await SyncScenario.SiteWithStoreAsync(central, "warehouse", "S2");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        client.Edit("transact", "mine", SyncScenario.Transaction("mine", store.Id));
        client.Edit("transact", "theirs", SyncScenario.Transaction("theirs", otherStore.Id));
        client.Edit("item", "sneaky-item", new JsonObject { ["ID"] = "sneaky-item", ["code"] = "X" });
        client.Edit("some_future_table", "f1", new JsonObject { ["ID"] = "f1", ["store_ID"] = store.Id });

        await client.SyncAsync();

        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "mine"));
        Assert.Null(await central.Admin.GetRecordAsync("transact", "theirs"));
        Assert.Null(await central.Admin.GetRecordAsync("item", "sneaky-item"));
        var log = await central.Admin.LogsAsync(site.Id);
        Assert.Contains(log, l => l.Event == "record_rejected" && l.Message.Contains("'theirs'", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Event == "record_rejected" && l.Message.Contains("sneaky-item", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Event == "unknown_table" && l.Message.Contains("some_future_table", StringComparison.Ordinal));
        Assert.True(await central.QueryAsync(db => db.Records.AnyAsync(r => r.TableName == "some_future_table", TestContext.Current.CancellationToken)));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task PushedDeletesRemoveTheRecordOnCentral(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id));
        await client.SyncAsync();

        client.Edit("transact", "t1", null);
        await client.SyncAsync();

        Assert.Null(await central.Admin.GetRecordAsync("transact", "t1"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ACentralChangeReachesEverySiteThroughOneChangeLogRow(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.SiteWithStoreAsync(central, "warehouse", "S2");
        using var clinic = SyncScenario.Client(central, "clinic", "hw-clinic");
        using var warehouse = SyncScenario.Client(central, "warehouse", "hw-warehouse");
        await clinic.SyncAsync();
        await warehouse.SyncAsync();
        var rowsBefore = await central.QueryAsync(db => db.ChangeLog.CountAsync(TestContext.Current.CancellationToken));
        var pulledBefore = (clinic.PulledFromCentral, warehouse.PulledFromCentral);

        await central.Admin.UpsertRecordsAsync("""{"item":[{"ID":"new-item","code":"NEW","item_name":"Amoxicillin 250mg","type_of":"general"}]}""");
        await clinic.SyncAsync();
        await warehouse.SyncAsync();

        Assert.Equal(rowsBefore + 1, await central.QueryAsync(db => db.ChangeLog.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal((pulledBefore.Item1 + 1, pulledBefore.Item2 + 1), (clinic.PulledFromCentral, warehouse.PulledFromCentral));
        Assert.Equal("Amoxicillin 250mg", clinic.Records[("item", "new-item")]["item_name"]!.GetValue<string>());
        Assert.Equal("Amoxicillin 250mg", warehouse.Records[("item", "new-item")]["item_name"]!.GetValue<string>());
        Assert.Equal(0, await central.QueryAsync(db => db.Queue.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CentralDeletesReachSitesAsDeletes(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 3);
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();

        using var response = await central.Admin.Http.PostAsync("api/records/delete",
            new StringContent("""{"item":["item-000001"]}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        await client.SyncAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.False(client.Records.ContainsKey(("item", "item-000001")));
        Assert.True(client.Records.ContainsKey(("item", "item-000002")));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task MovedStoreDeliversAllItsDataToTheNewSiteAndTheOldSiteCanNoLongerChangeIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, oldSite) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var newSite = await central.Admin.CreateSiteAsync("district", SyncScenario.SitePassword);
        using var oldClient = SyncScenario.Client(central, "clinic", "hw-old");
        using var newClient = SyncScenario.Client(central, "district", "hw-new");
        await oldClient.SyncAsync();
        for (var i = 0; i < 600; i++)
        {
            oldClient.Edit("transact", $"t{i}", SyncScenario.Transaction($"t{i}", store.Id));
        }
        await oldClient.SyncAsync();

        await central.Admin.UpdateSiteAsync(newSite.Id, AdminClient.EditOf(newSite) with { StoreIds = [store.Id] });
        await newClient.SyncAsync();
        await oldClient.SyncAsync(); // the old site learns of the move (before that, routing.md Q4 keeps its edits)
        oldClient.Edit("transact", "t0", SyncScenario.Transaction("t0", store.Id).Apply(t => t["status"] = "fn"));
        await oldClient.SyncAsync();

        Assert.Equal(600, newClient.Records.Keys.Count(k => k.Table == "transact"));
        Assert.Equal(newSite.Id, newClient.Records[("store", store.Id)]["sync_id_remote_site"]!.GetValue<int>());
        Assert.Equal(newSite.Id, oldClient.Records[("store", store.Id)]["sync_id_remote_site"]!.GetValue<int>());
        Assert.Equal("nw", (await central.Admin.GetRecordAsync("transact", "t0"))?.GetProperty("status").GetString());
        Assert.Contains(await central.Admin.LogsAsync(oldSite.Id), l => l.Event == "record_rejected" && l.Message.Contains("'t0'", StringComparison.Ordinal));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CentralStoreDataEditedAfterInitialisationGoesOnlyToTheStoresSite(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.SiteWithStoreAsync(central, "warehouse", "S2");
        using var clinic = SyncScenario.Client(central, "clinic", "hw-clinic");
        using var warehouse = SyncScenario.Client(central, "warehouse", "hw-warehouse");
        await clinic.SyncAsync();
        await warehouse.SyncAsync();

        await central.Admin.UpsertRecordsAsync($$"""{"item_store_join":[{"ID":"isj-1","item_ID":"i1","store_ID":"{{store.Id}}","default_price":5.0}]}""");
        await clinic.SyncAsync();
        await warehouse.SyncAsync();

        Assert.True(clinic.Records.ContainsKey(("item_store_join", "isj-1")));
        Assert.False(warehouse.Records.ContainsKey(("item_store_join", "isj-1")));
    }

    /// <summary>Transactions and name-store joins of one store, as an admin upload.</summary>
    internal static string StoreData(string storeId, int transactions, int joins)
    {
        var body = new JsonObject
        {
            ["transact"] = new JsonArray([.. Enumerable.Range(0, transactions).Select(i => (JsonNode)SyncScenario.Transaction($"t{i}", storeId))]),
            ["name_store_join"] = new JsonArray([.. Enumerable.Range(0, joins).Select(i => (JsonNode)new JsonObject
            {
                ["ID"] = $"nsj-{i}", ["name_ID"] = $"name-{i}", ["store_ID"] = storeId, ["inactive"] = false,
            })]),
        };
        if (transactions == 0)
        {
            body.Remove("transact");
        }
        return body.ToJsonString();
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Apply(this JsonObject json, Action<JsonObject> change)
    {
        change(json);
        return json;
    }
}

public sealed class MergeTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnItemMergedOnCentralReachesSitesAsOneMergeRecord(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 3);
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        var rowsBefore = await central.QueryAsync(db => db.ChangeLog.CountAsync(TestContext.Current.CancellationToken));

        using var merged = await central.Admin.Http.PostAsync("api/records/merge", new System.Net.Http.StringContent(
            """{"item":[{"mergeIdToKeep":"item-000000","mergeIdToDelete":"item-000002"}]}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var page = (await client.GetAsync($"/sync/v5/central_records?cursor={client.CentralCursor}&limit=500")).Json;
        await client.SyncAsync();

        Assert.Equal(200, (int)merged.StatusCode);
        Assert.Equal(rowsBefore + 1, await central.QueryAsync(db => db.ChangeLog.CountAsync(TestContext.Current.CancellationToken)));
        var row = Assert.Single(page.GetProperty("data").EnumerateArray());
        Assert.Equal(("item", "item-000000", "Merge"), (row.GetProperty("tableName").GetString(), row.GetProperty("recordId").GetString(),
            row.GetProperty("action").GetString()));
        Assert.Equal("""{"mergeIdToKeep":"item-000000","mergeIdToDelete":"item-000002"}""", row.GetProperty("recordData").GetRawText());
        Assert.Equal([("item", "item-000000", "item-000002")], client.Merges);
        Assert.False(client.Records.ContainsKey(("item", "item-000002")));
        Assert.Null(await central.Admin.GetRecordAsync("item", "item-000002"));
        Assert.NotNull(await central.Admin.GetRecordAsync("item", "item-000000"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task OnlyItemsNamesAndCliniciansMergeAndBothRecordsMustExist(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.AddItemsAsync(central, 2);
        var ct = TestContext.Current.CancellationToken;

        async Task<int> Post(string body)
        {
            using var response = await central.Admin.Http.PostAsync("api/records/merge",
                new System.Net.Http.StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);
            return (int)response.StatusCode;
        }

        Assert.Equal(409, await Post("""{"unit":[{"mergeIdToKeep":"a","mergeIdToDelete":"b"}]}"""));
        Assert.Equal(404, await Post("""{"item":[{"mergeIdToKeep":"item-000000","mergeIdToDelete":"nope"}]}"""));
        Assert.Equal(400, await Post("""{"item":[{"mergeIdToKeep":"item-000000","mergeIdToDelete":"item-000000"}]}"""));
        Assert.NotNull(await central.Admin.GetRecordAsync("item", "item-000001"));
    }
}

public sealed class SyncSessionLogTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task EachCompleteCycleIsLoggedOnceWithItsPushedAndPulledCounts(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 600);
        await central.Admin.UpsertRecordsAsync(SyncCycleTests.StoreData(store.Id, transactions: 0, joins: 3));
        using var client = SyncScenario.Client(central, "clinic");
        var centralRows = await central.QueryAsync(db => db.ChangeLog.CountAsync(TestContext.Current.CancellationToken));

        await client.SyncAsync();
        client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id));
        client.Edit("transact", "t2", SyncScenario.Transaction("t2", store.Id));
        await client.SyncAsync();
        await client.GetAsync("/sync/v5/queued_records?limit=500");

        var sessions = (await central.Admin.LogsAsync(site.Id)).Where(l => l.Event == "sync_completed").Select(l => l.Message).Reverse().ToList();
        Assert.Equal(2, sessions.Count);
        Assert.Matches($@"^Sync completed in \d+\.\d s: pushed 0, pulled {centralRows} central and 3 queued record\(s\)\.$", sessions[0]);
        Assert.Matches(@"^Sync completed in \d+\.\d s: pushed 2, pulled 0 central and 0 queued record\(s\)\.$", sessions[1]);
    }
}
