using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Site authentication (DESIGN rules 8, 10, 17; reference §1.3, §1.6, §6): each error code with its status.</summary>
public sealed class SyncAuthTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task UnknownSiteNameIsRefusedWithSiteNameNotFound(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var client = SyncScenario.Client(central, "nobody");

        var response = await client.GetAsync("/sync/v5/site");

        Assert.Equal((401, "site_name_not_found"), (response.Status, response.ErrorCode));
        Assert.NotNull(response.Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task WrongPasswordIsRefusedWithSiteIncorrectPasswordAndLogged(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = new OmsTestClient(central.BaseAddress, "clinic", "wrong-password");

        var response = await client.GetAsync("/sync/v5/site");

        Assert.Equal((401, "site_incorrect_password"), (response.Status, response.ErrorCode));
        Assert.Contains(await central.Admin.LogsAsync(site.Id), l => l.Event == "auth_failed");
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task SiteNameIsMatchedWhateverItsCase(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "Clinic North", "S1");
        using var client = SyncScenario.Client(central, "clinic north");

        Assert.Equal(200, (await client.GetAsync("/sync/v5/site")).Status);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TenWrongPasswordsBlockTheSiteUntilAnAdminUnblocksIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var attacker = new OmsTestClient(central.BaseAddress, "clinic", "guess");
        using var owner = SyncScenario.Client(central, "clinic");

        var codes = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            codes.Add((await attacker.GetAsync("/sync/v5/site")).ErrorCode);
        }
        var whileBlocked = await owner.GetAsync("/sync/v5/site");
        var listed = await central.Admin.GetSiteAsync(site.Id);
        using var unblock = await central.Admin.Http.PostAsync($"api/sites/{site.Id}/unblock", null, TestContext.Current.CancellationToken);
        var afterUnblock = await owner.GetAsync("/sync/v5/site");

        Assert.Equal([.. Enumerable.Repeat("site_incorrect_password", 9), "site_auth_timeout"], codes);
        Assert.Equal((401, "site_auth_timeout"), (whileBlocked.Status, whileBlocked.ErrorCode));
        Assert.Equal("blocked", listed.Status);
        Assert.Equal(200, (int)unblock.StatusCode);
        Assert.Equal(200, afterUnblock.Status);
        var log = await central.Admin.LogsAsync(site.Id);
        Assert.Contains(log, l => l.Event == "blocked");
        Assert.Contains(log, l => l.Event == "unblocked" && l.User == "admin");
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheLimitOfFailedAttemptsIsConfigurable(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine, new Dictionary<string, string?> { ["SiteSync:Sync:MaxFailedLogins"] = "3" });
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var attacker = new OmsTestClient(central.BaseAddress, "clinic", "guess");

        var codes = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await attacker.GetAsync("/sync/v5/site")).ErrorCode);
        }

        Assert.Equal(["site_incorrect_password", "site_incorrect_password", "site_auth_timeout", "site_auth_timeout"], codes);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ConcurrentWrongPasswordsNeverVerifyMoreThanTheLimit(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var attacker = new OmsTestClient(central.BaseAddress, "clinic", "guess");

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => attacker.GetAsync("/sync/v5/site")));

        var verifications = (await central.Admin.LogsAsync(site.Id)).Count(l => l.Message.StartsWith("Wrong password", StringComparison.Ordinal));
        Assert.InRange(verifications, 1, 10);
        Assert.All(results, r => Assert.Contains(r.ErrorCode, new[] { "site_incorrect_password", "site_auth_timeout" }));
        Assert.Equal("blocked", (await central.Admin.GetSiteAsync(site.Id)).Status);
        Assert.Equal(10, await central.QueryAsync(db => db.Sites.Where(s => s.Id == site.Id).Select(s => s.FailedLoginCount)
            .SingleAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task FirstDeviceClaimsTheSiteAndAnotherDeviceIsRefusedUntilReset(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var first = SyncScenario.Client(central, "clinic", "device-one");
        using var second = SyncScenario.Client(central, "clinic", "device-two");

        var claimed = await first.GetAsync("/sync/v5/site");
        var refused = await second.GetAsync("/sync/v5/site");
        var bound = await central.Admin.GetSiteAsync(site.Id);
        using var reset = await central.Admin.Http.PostAsync($"api/sites/{site.Id}/reset-hardware-id", null, TestContext.Current.CancellationToken);
        var reclaimed = await second.GetAsync("/sync/v5/site");
        var oldDevice = await first.GetAsync("/sync/v5/site");

        Assert.Equal(200, claimed.Status);
        Assert.Equal((401, "site_incorrect_hardware_id"), (refused.Status, refused.ErrorCode));
        Assert.Equal("device-one", bound.HardwareId);
        Assert.Equal(200, (int)reset.StatusCode);
        Assert.Equal(200, reclaimed.Status);
        Assert.Equal((401, "site_incorrect_hardware_id"), (oldDevice.Status, oldDevice.ErrorCode));
        Assert.Equal("device-two", (await central.Admin.GetSiteAsync(site.Id)).HardwareId);
        var log = await central.Admin.LogsAsync(site.Id);
        Assert.Contains(log, l => l.Event == "hardware_id_mismatch");
        Assert.Contains(log, l => l.Event == "hardware_id_reset");
        Assert.Equal(2, log.Count(l => l.Event == "hardware_id_claimed"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task HardwareIdMismatchesAreNotCountedTowardsBlocking(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var owner = SyncScenario.Client(central, "clinic", "device-one");
        using var thief = SyncScenario.Client(central, "clinic", "stolen-laptop");
        await owner.GetAsync("/sync/v5/site");

        for (var i = 0; i < 15; i++)
        {
            Assert.Equal("site_incorrect_hardware_id", (await thief.GetAsync("/sync/v5/site")).ErrorCode);
        }

        Assert.Equal(200, (await owner.GetAsync("/sync/v5/site")).Status);
        Assert.Equal("active", (await central.Admin.GetSiteAsync(site.Id)).Status);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnIncompatibleVersionIsRefusedWith409AndTheAcceptedRange(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        client.Version = "10000";

        var response = await client.GetAsync("/sync/v5/site");
        client.Version = "7";
        var oldest = await client.GetAsync("/sync/v5/site");

        Assert.Equal((409, "api_version_incompatible"), (response.Status, response.ErrorCode));
        var data = response.Json.GetProperty("error").GetProperty("data");
        Assert.Equal((7, 14, 10000), (data.GetProperty("minVersion").GetInt32(), data.GetProperty("maxVersion").GetInt32(), data.GetProperty("receivedVersion").GetInt32()));
        Assert.Equal(200, oldest.Status);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AppNameAndVersionAreRecordedAsDeviceTypeAndAppVersion(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");

        await client.GetAsync("/sync/v5/site");
        var seen = await central.Admin.GetSiteAsync(site.Id);

        Assert.Equal(("Open mSupply", "2.20.0"), (seen.DeviceType, seen.AppVersion));
        Assert.NotNull(seen.LastConnectedAt);
        Assert.Null(seen.LastSyncedAt);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task InitialiseOfASiteWithoutStoresIsRefusedWithSiteHasNoStore(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await central.Admin.CreateSiteAsync("empty", SyncScenario.SitePassword);
        using var client = SyncScenario.Client(central, "empty");

        var response = await client.PostAsync("/sync/v5/initialise", "{}");

        Assert.Equal((409, "site_has_no_store"), (response.Status, response.ErrorCode));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task MalformedAndOversizedBodiesGet4xxInTheErrorEnvelopeAndWriteNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        var good = SyncScenario.Transaction("t1", store.Id).ToJsonString();
        string[] malformed =
        [
            "{not json",
            "",
            "[]",
            """{"queueLength":"many","data":[]}""",
            """{"queueLength":-1,"data":[]}""",
            new string('[', 10_000),
        ];
        // Readable batches with bad records: each bad record is refused on its own (and logged), the batch is not.
        string[] badRecords =
        [
            $$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"t1","action":"Patch","recordData":""" + good + "}]}",
            $$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"","recordId":"t1","action":"Update","recordData":""" + good + "}]}",
            """{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"t1","action":"Update","recordData":"a string"}]}""",
            $$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"{{new string('x', 300)}}","action":"Update","recordData":""" + good + "}]}",
        ];

        var responses = new List<SyncResponse>();
        foreach (var body in malformed)
        {
            responses.Add(await client.PostAsync("/sync/v5/queued_records", body));
        }
        var recordResponses = new List<SyncResponse>();
        foreach (var body in badRecords)
        {
            recordResponses.Add(await client.PostAsync("/sync/v5/queued_records", body));
        }
        var oversized = await client.SendAsync(HttpMethod.Post, "/sync/v5/queued_records",
            $$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"big","action":"Update","recordData":{"ID":"big","store_ID":"{{store.Id}}","blob":"{{new string('a', 31_000_000)}}"}""" + "}]}", expectContinue: true);
        var badAck = await client.PostAsync("/sync/v5/acknowledged_records", """{"syncIDs":"all"}""");
        var badCursor = await client.GetAsync("/sync/v5/central_records?cursor=-5&limit=500");

        Assert.All(responses, r => Assert.Equal((400, "invalid_body"), (r.Status, r.ErrorCode)));
        Assert.All(recordResponses, r => Assert.Equal(200, r.Status));
        Assert.Equal((413, "body_too_large"), (oversized.Status, oversized.ErrorCode));
        Assert.Equal((400, "invalid_body"), (badAck.Status, badAck.ErrorCode));
        Assert.Equal((400, "invalid_query"), (badCursor.Status, badCursor.ErrorCode));
        Assert.Equal(0, await central.QueryAsync(db => db.PushBuffer.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Null(await central.Admin.GetRecordAsync("transact", "t1"));
        Assert.Equal(badRecords.Length, (await central.Admin.LogsAsync(site.Id)).Count(l => l.Event == "record_rejected"));

        // A null entry next to a good record: the good one is integrated.
        var mixed = await client.PostAsync("/sync/v5/queued_records",
            """{"queueLength":0,"data":[{"syncOutId":"1","tableName":"transact","recordId":"t2","action":"Update","recordData":""" +
            SyncScenario.Transaction("t2", store.Id).ToJsonString() + "},null]}");
        Assert.Equal(200, mixed.Status);
        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "t2"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task OneSiteCannotAcknowledgeAnotherSitesQueue(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.SiteWithStoreAsync(central, "warehouse", "S2");
        await central.Admin.UpsertRecordsAsync($$"""{"pref":[{"ID":"p1","store_ID":"{{store.Id}}"}]}""");
        using var clinic = SyncScenario.Client(central, "clinic", "hw-clinic");
        using var warehouse = SyncScenario.Client(central, "warehouse", "hw-warehouse");
        await clinic.PostAsync("/sync/v5/initialise", "{}");
        var ids = (await clinic.GetAsync("/sync/v5/queued_records?limit=500")).Json.GetProperty("data")
            .EnumerateArray().Select(r => r.GetProperty("syncOutId").GetString()).ToList();

        var forged = await warehouse.PostAsync("/sync/v5/acknowledged_records",
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, List<string?>> { ["syncIDs"] = ids }));
        var stillThere = (await clinic.GetAsync("/sync/v5/queued_records?limit=500")).Json;

        Assert.Equal(204, forged.Status);
        Assert.Single(ids);
        Assert.Equal(1, stillThere.GetProperty("queueLength").GetInt64());
    }
}
