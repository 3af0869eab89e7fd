using System.Text.Json.Nodes;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>The reliability plan's regression set and the single-request faults (F3, F15, F16, F21–F24), each against the real
/// central over a socket, on both engines.</summary>
public sealed class RegressionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>F3 / issue 8: acknowledging part of a page removes exactly what it names. A store moved to a site is delivered
    /// through its queue (snapshot records); the site acknowledges every other record of a 200-record page; the 100 it did not
    /// acknowledge come again, and nothing else does.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AcknowledgingHalfAPageRemovesExactlyThatHalf(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("MV", "Moved store");
        var transactions = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)SyncScenario.Transaction($"t-{i:D3}", store.Id))]);
        await central.Admin.UpsertRecordsAsync(new JsonObject { ["transact"] = transactions }.ToJsonString());
        var site = await central.Admin.CreateSiteAsync("clinic", SyncScenario.SitePassword, storeIds: [store.Id]);
        using var client = SyncScenario.Client(central, "clinic");
        Assert.Equal(200, (await client.GetAsync("/sync/v5/site")).Status);
        Assert.Equal(200, (await client.PostAsync("/sync/v5/initialise", "{}")).Status);

        var page = (await client.GetAsync("/sync/v5/queued_records?limit=200")).Json.GetProperty("data").EnumerateArray().ToList();
        var odd = page.Where((_, i) => i % 2 == 1).ToList();
        await client.AcknowledgeAsync(new JsonArray([.. odd.Select(r => (JsonNode)r.GetProperty("syncOutId").GetString()!)]));
        var again = (await client.PullQueueAsync()).Select(r => r.GetProperty("recordId").GetString()).ToHashSet();

        Assert.Equal(200, page.Count);
        var unacknowledged = page.Where((_, i) => i % 2 == 0).Select(r => r.GetProperty("recordId").GetString()).ToHashSet();
        Assert.Equal(site.Id, (await central.Admin.GetSiteAsync(site.Id)).Id);
        Assert.True(unacknowledged.SetEquals(again), $"{unacknowledged.Except(again).Count()} unacknowledged records never came again; {again.Except(unacknowledged).Count()} acknowledged ones did");
    }

    /// <summary>F3: a forged acknowledgement (site A naming site B's queue ids) removes nothing of B's.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnotherSitesAcknowledgementRemovesNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (storeB, _) = await SyncScenario.SiteWithStoreAsync(central, "site-b", "SB");
        await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        var joins = new JsonArray([.. Enumerable.Range(0, 20).Select(i => (JsonNode)new JsonObject { ["ID"] = $"j{i}", ["name_ID"] = "n", ["store_ID"] = storeB.Id })]);
        using var b = SyncScenario.Client(central, "site-b", "hw-b");
        using var a = SyncScenario.Client(central, "site-a", "hw-a");
        await b.SyncAsync();
        await central.Admin.UpsertRecordsAsync(new JsonObject { ["name_store_join"] = joins }.ToJsonString());
        var queued = (await b.PullQueueAsync(acknowledge: false)).Select(r => (JsonNode)r.GetProperty("syncOutId").GetString()!).ToList();

        await a.SyncAsync();
        var forged = await a.PostAsync("/sync/v5/acknowledged_records", new JsonObject { ["syncIDs"] = new JsonArray([.. queued.Select(q => q!.DeepClone())]) }.ToJsonString());
        var still = await b.PullQueueAsync(acknowledge: false);

        Assert.InRange(forged.Status, 200, 299);
        Assert.Equal(20, queued.Count);
        Assert.Equal(20, still.Count);
    }

    /// <summary>F21: what a site pushed never comes back to it; two idle cycles later it pulls nothing, and each pushed version
    /// took effect once on the site (its apply log).</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task APushedRecordIsNeverEchoedBackAndIdleCyclesPullNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var scratch = new Scratch();
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var fleet = await Fleet.InProcessAsync(central.Admin, central.BaseAddress, scratch, 2);
        await fleet.PutTransactionsAsync(fleet.Members[0], 50);
        await fleet.Workload.CentralItemsAsync(10);

        var push = await fleet.Members[0].InProcess.SyncAsync();
        var idle1 = await fleet.Members[0].InProcess.SyncAsync();
        var idle2 = await fleet.Members[0].InProcess.SyncAsync();
        await fleet.Members[1].InProcess.SyncToQuiescenceAsync();
        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);

        Assert.Equal(50, push.Pushed);
        Assert.Equal((0, 0, 0), (idle1.PulledCentral + idle1.PulledQueue, idle2.PulledCentral + idle2.PulledQueue, idle2.Pushed));
        Assert.True(check.Valid, check.ToString());
    }

    /// <summary>F22: a site created through the real admin API with password P is configured on a real remote with P and syncs
    /// (the hash written by the admin path is the one the sync path verifies; nothing seeded by hand).</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task APasswordSetThroughTheAdminApiAuthenticatesTheRemote(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var scratch = new Scratch();
        var store = await central.Admin.CreateStoreAsync("PW", "Password store");
        const string password = "Pässwörd with spaces & ünïcödé 🔑";
        await central.Admin.CreateSiteAsync("clinic", password, storeIds: [store.Id]);
        using var remote = new InProcessRemote("clinic", scratch.PathOf("clinic"), "hw-pw");
        await remote.InitAsync(central.BaseAddress, "clinic", password);

        var check = await remote.Site.CheckAsync(Ct);
        var sync = await remote.SyncAsync();

        Assert.True(check.IsOk, check.Message);
        Assert.Equal("ok", sync.Outcome);
    }

    /// <summary>F23: clients one version below and above the accepted range get 409 <c>api_version_incompatible</c> with the
    /// range and nothing written; the range's ends sync.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task ClientsOutsideTheVersionRangeAreRefusedAndWriteNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var db = new CentralDb(central.Database);
        var results = new Dictionary<string, (int Status, string? Code)>();

        foreach (var version in new[] { "6", "15", "7", "14" })
        {
            using var client = new OmsTestClient(central.BaseAddress, "clinic", SyncScenario.SitePassword, version: version);
            var before = await db.CountAsync("SELECT COUNT(*) FROM record");
            client.Edit("transact", $"t-v{version}", SyncScenario.Transaction($"t-v{version}", store.Id));
            var site = await client.GetAsync("/sync/v5/site");
            var push = await client.PostAsync("/sync/v5/queued_records",
                $$$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"t-v{{{version}}}","action":"Update","recordData":{"ID":"t-v{{{version}}}","store_ID":"{{{store.Id}}}"}}]}""");
            results[version] = (site.Status, site.Status == 200 ? null : site.ErrorCode);
            if (site.Status != 200)
            {
                Assert.Equal(409, push.Status);
                Assert.Contains("\"data\":{", push.Body, StringComparison.Ordinal);
                Assert.Equal(before, await db.CountAsync("SELECT COUNT(*) FROM record"));
                Assert.Equal(0, await db.CountAsync("SELECT COUNT(*) FROM push_buffer"));
            }
            else
            {
                await client.PostAsync("/sync/v5/queued_records", """{"queueLength":0,"data":[]}""");
            }
        }

        Assert.Equal((409, "api_version_incompatible"), results["6"]);
        Assert.Equal((409, "api_version_incompatible"), results["15"]);
        Assert.Equal((200, null), results["7"]);
        Assert.Equal((200, null), results["14"]);
    }

    /// <summary>F24: a site's identity comes from its credentials only: pushing another site's store data stores nothing of it,
    /// and its queue pull returns none of the other site's records.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASiteCannotWriteOrReadAnotherSitesStoreData(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (storeB, _) = await SyncScenario.SiteWithStoreAsync(central, "site-b", "SB");
        await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        var joins = new JsonArray([.. Enumerable.Range(0, 5).Select(i => (JsonNode)new JsonObject { ["ID"] = $"jb{i}", ["name_ID"] = "n", ["store_ID"] = storeB.Id })]);
        await central.Admin.UpsertRecordsAsync(new JsonObject { ["name_store_join"] = joins }.ToJsonString());
        using var a = SyncScenario.Client(central, "site-a", "hw-a");
        await a.SyncAsync();

        a.Edit("transact", "forged", SyncScenario.Transaction("forged", storeB.Id));
        await a.SyncAsync();

        Assert.Null(await central.Admin.GetRecordAsync("transact", "forged"));
        Assert.DoesNotContain(a.Records.Keys, k => k.Table == "name_store_join");
    }

    /// <summary>F15 / issue 8: a flood of requests with unknown site names runs no password hash per request (the answer must
    /// not depend on a PBKDF2 per guess), and requests to a blocked site write no site-log line per request.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task UnknownNamesCostNoHashAndABlockedSiteLogsNotEveryRequest(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var verifications = new HashVerificationCounter(central);
        for (var i = 0; i < 10; i++)
        {
            using var guesser = new OmsTestClient(central.BaseAddress, "clinic", $"guess-{i}");
            await guesser.GetAsync("/sync/v5/site");
        }
        var logsWhenBlocked = (await central.Admin.LogsAsync(site.Id)).Count;
        var hashesBefore = verifications.Count;

        var answers = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            using var unknown = new OmsTestClient(central.BaseAddress, $"no-such-site-{i}", "whatever");
            answers.Add((await unknown.GetAsync("/sync/v5/site")).Status);
            using var blocked = new OmsTestClient(central.BaseAddress, "clinic", "guess-again");
            answers.Add((await blocked.GetAsync("/sync/v5/site")).Status);
        }
        var unknownHashes = verifications.Count - hashesBefore;
        var blockedLogLines = (await central.Admin.LogsAsync(site.Id)).Count - logsWhenBlocked;

        Assert.All(answers, status => Assert.Equal(401, status));
        List<string> problems = [];
        if (unknownHashes != 0)
        {
            problems.Add($"{unknownHashes} password hashes computed for 30 unknown names and 30 requests to a blocked site");
        }
        if (blockedLogLines > 1)
        {
            problems.Add($"{blockedLogLines} site-log lines for 30 refused requests to a blocked site");
        }
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    /// <summary>F16: the right password from another device reads nothing, writes nothing, is logged, and never blocks the real site.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AStolenPasswordFromAnotherDeviceGetsNothingAndTheRealSiteStillSyncs(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 5);
        using var real = SyncScenario.Client(central, "clinic", "real-device");
        await real.SyncAsync();
        using var thief = SyncScenario.Client(central, "clinic", "thief-device");
        var db = new CentralDb(central.Database);
        var records = await db.CountAsync("SELECT COUNT(*) FROM record");

        var answers = new List<SyncResponse>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await thief.GetAsync("/sync/v5/central_records?cursor=0&limit=50"));
            answers.Add(await thief.PostAsync("/sync/v5/queued_records",
                $$$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"stolen-{{{i}}}","action":"Update","recordData":{"ID":"stolen-{{{i}}}","store_ID":"{{{store.Id}}}"}}]}"""));
        }
        real.Edit("transact", "real-1", SyncScenario.Transaction("real-1", store.Id));
        await real.SyncAsync();

        Assert.All(answers, a => Assert.Equal((401, "site_incorrect_hardware_id"), (a.Status, a.ErrorCode)));
        Assert.Equal(records + 1, await db.CountAsync("SELECT COUNT(*) FROM record"));
        Assert.Equal("active", (await central.Admin.GetSiteAsync(site.Id)).Status);
        Assert.Contains(await central.Admin.LogsAsync(site.Id), l => l.Event == "hardware_id_mismatch");
    }
}
