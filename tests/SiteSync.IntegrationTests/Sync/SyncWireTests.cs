using System.Net.Http.Headers;
using SiteSync.IntegrationTests.Support;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Endpoint shapes field by field, as the Open mSupply client parses them (reference §2).</summary>
public sealed class SyncWireTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task SiteInfoHasTheSixRequiredFields(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");

        var response = await client.GetAsync("/sync/v5/site");

        Assert.Equal(200, response.Status);
        var info = response.Json;
        Assert.Equal(System.Text.Json.JsonValueKind.String, info.GetProperty("id").ValueKind);
        Assert.Equal(site.Id, info.GetProperty("siteId").GetInt32());
        Assert.Equal("new", info.GetProperty("initialisationStatus").GetString());
        Assert.True(Uri.TryCreate(info.GetProperty("omSupplyCentralServerUrl").GetString(), UriKind.Absolute, out _));
        Assert.False(info.GetProperty("isOmSupplyCentralServer").GetBoolean());
        Assert.Equal(1, info.GetProperty("mSupplyCentralSiteId").GetInt32());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task SiteInfoSendsTheOpenMSupplyCentralServerUrlWhenASiteHasIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var omCentral = await central.Admin.CreateSiteAsync("oms-central");
        await central.Admin.UpdateSiteAsync(omCentral.Id, AdminClient.EditOf(omCentral) with
        {
            IsOmSupplyCentralServer = true,
            OmSupplyCentralServerUrl = "https://oms.example.org:8000",
        });
        using var client = SyncScenario.Client(central, "clinic");

        var info = (await client.GetAsync("/sync/v5/site")).Json;

        Assert.Equal("https://oms.example.org:8000", info.GetProperty("omSupplyCentralServerUrl").GetString());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task SiteStatusIsIdleWithNullData(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");

        var response = await client.GetAsync("/sync/v5/site_status");

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"code":"idle","message":"idle","data":null}""", response.Body);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task InitialiseAnswersQueueLengthAndCanBeRepeated(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await central.Admin.UpsertRecordsAsync($$"""{"name_store_join":[{"ID":"nsj-1","name_ID":"n1","store_ID":"{{store.Id}}","inactive":false}]}""");
        using var client = SyncScenario.Client(central, "clinic");

        var first = await client.PostAsync("/sync/v5/initialise", "{}");
        var second = await client.PostAsync("/sync/v5/initialise", "{}");
        var info = (await client.GetAsync("/sync/v5/site")).Json;

        Assert.Equal(200, first.Status);
        Assert.Equal(1, first.Json.GetProperty("queueLength").GetInt64());
        Assert.Equal(first.Body, second.Body);
        Assert.Equal("completed", info.GetProperty("initialisationStatus").GetString());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CentralRecordsPageHasIdsAboveTheCursorWithMaxCursor(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 5);
        using var client = SyncScenario.Client(central, "clinic");

        var all = (await client.GetAsync("/sync/v5/central_records?cursor=0&limit=500")).Json;
        var ids = all.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("ID").GetInt64()).ToList();
        var afterSecond = (await client.GetAsync($"/sync/v5/central_records?cursor={ids[1]}&limit=2")).Json;
        var end = (await client.GetAsync($"/sync/v5/central_records?cursor={ids[^1]}&limit=500")).Json;

        var maxCursor = all.GetProperty("maxCursor").GetInt64();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids[^1], maxCursor);
        Assert.Equal(ids.Skip(2).Take(2), afterSecond.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("ID").GetInt64()));
        Assert.Empty(end.GetProperty("data").EnumerateArray());
        Assert.Equal(maxCursor, end.GetProperty("maxCursor").GetInt64());
        var item = all.GetProperty("data").EnumerateArray().Single(r => r.GetProperty("recordId").GetString() == "item-000003");
        Assert.Equal("item", item.GetProperty("tableName").GetString());
        Assert.Equal("Update", item.GetProperty("action").GetString());
        Assert.Equal("Item 3", item.GetProperty("recordData").GetProperty("item_name").GetString());
    }

    /// <summary>SiteSync's remote asks for the next page while it stores one, saying the cursor it has stored: if storing fails
    /// it asks again from there, which must not look like a database restored from a backup (F25: every store delivered again).</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task APageAskedForAheadCountsTheStoredCursorAsReachedNotTheOneAskedFrom(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 6);
        using var client = SyncScenario.Client(central, "clinic");
        var ids = (await client.GetAsync("/sync/v5/central_records?cursor=0&limit=500")).Json
            .GetProperty("data").EnumerateArray().Select(r => r.GetProperty("ID").GetInt64()).ToList();

        var ahead = await client.GetAsync($"/sync/v5/central_records?cursor={ids[1]}&limit=2&stored=0");
        var again = await client.GetAsync("/sync/v5/central_records?cursor=0&limit=2");
        var restoresAfterAhead = (await central.Admin.LogsAsync(site.Id)).Count(e => e.Event == "restore_detected");
        // The Open mSupply client asks only from what it stored: going back from there is a restore.
        await client.GetAsync($"/sync/v5/central_records?cursor={ids[3]}&limit=2");
        await client.GetAsync("/sync/v5/central_records?cursor=0&limit=2");
        var restoresAfterGoingBack = (await central.Admin.LogsAsync(site.Id)).Count(e => e.Event == "restore_detected");

        Assert.Equal(200, ahead.Status);
        Assert.Equal(ids.Skip(2).Take(2), ahead.Json.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("ID").GetInt64()));
        Assert.Equal(200, again.Status);
        Assert.Equal(0, restoresAfterAhead);
        Assert.Equal(1, restoresAfterGoingBack);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AStoredCursorThatIsNotAWholeNumberOrIsPastTheCursorIsRefused(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");

        foreach (var query in new[] { "cursor=5&stored=6", "cursor=5&stored=-1", "cursor=5&stored=abc", "stored=1", "cursor=5&stored=%00" })
        {
            var response = await client.GetAsync("/sync/v5/central_records?" + query);

            Assert.Equal((400, "invalid_query"), (response.Status, response.ErrorCode));
        }
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task QueuedRecordsHaveStringSyncOutIdsAndQueueLengthIncludingTheBatch(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await central.Admin.UpsertRecordsAsync($$"""
            {"name_store_join":[
              {"ID":"nsj-1","name_ID":"n1","store_ID":"{{store.Id}}","inactive":false},
              {"ID":"nsj-2","name_ID":"n2","store_ID":"{{store.Id}}","inactive":false},
              {"ID":"nsj-3","name_ID":"n3","store_ID":"{{store.Id}}","inactive":false}]}
            """);
        using var client = SyncScenario.Client(central, "clinic");
        await client.PostAsync("/sync/v5/initialise", "{}");

        var first = (await client.GetAsync("/sync/v5/queued_records?limit=2")).Json;
        var again = (await client.GetAsync("/sync/v5/queued_records?limit=2")).Json;

        Assert.Equal(3, first.GetProperty("queueLength").GetInt64());
        var records = first.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(System.Text.Json.JsonValueKind.String, r.GetProperty("syncOutId").ValueKind));
        Assert.All(records, r => Assert.Equal("name_store_join", r.GetProperty("tableName").GetString()));
        Assert.Equal(first.GetRawText(), again.GetRawText());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AcknowledgedRecordsAreNotSentAgain(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await central.Admin.UpsertRecordsAsync($$"""{"pref":[{"ID":"p1","store_ID":"{{store.Id}}"},{"ID":"p2","store_ID":"{{store.Id}}"}]}""");
        using var client = SyncScenario.Client(central, "clinic");
        await client.PostAsync("/sync/v5/initialise", "{}");
        var page = (await client.GetAsync("/sync/v5/queued_records?limit=1")).Json;
        var id = page.GetProperty("data")[0].GetProperty("syncOutId").GetString();

        var ack = await client.PostAsync("/sync/v5/acknowledged_records", $$"""{"syncIDs":["{{id}}"]}""");
        var ackAgain = await client.PostAsync("/sync/v5/acknowledged_records", $$"""{"syncIDs":["{{id}}"]}""");
        var next = (await client.GetAsync("/sync/v5/queued_records?limit=500")).Json;

        Assert.Equal((204, 204), (ack.Status, ackAgain.Status));
        Assert.Equal(1, next.GetProperty("queueLength").GetInt64());
        var remaining = Assert.Single(next.GetProperty("data").EnumerateArray());
        Assert.NotEqual(id, remaining.GetProperty("syncOutId").GetString());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task PushAnswersIntegrationStartedOnlyOnTheFinalEmptyBatch(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        var record = SyncScenario.Transaction("t1", store.Id).ToJsonString();

        var batch = await client.PostAsync("/sync/v5/queued_records",
            $$"""{"queueLength":1,"data":[{"syncOutId":"7","tableName":"transact","recordId":"t1","action":"Update","recordData":{{record}}}]}""");
        var final = await client.PostAsync("/sync/v5/queued_records", """{"queueLength":0,"data":[]}""");

        Assert.Equal("""{"integrationStarted":false}""", batch.Body);
        Assert.Equal("""{"integrationStarted":true}""", final.Body);
        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "t1"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ResponsesAreGzipCompressedWhenTheClientAcceptsIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 50);
        using var http = new HttpClient { BaseAddress = central.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "sync/v5/central_records?cursor=0&limit=500");
        request.Headers.Authorization = CentralFactory.BasicHeader("clinic", OmsTestClient.Sha256Hex(SyncScenario.SitePassword));
        request.Headers.TryAddWithoutValidation("version", "14");
        request.Headers.TryAddWithoutValidation("msupply-site-uuid", "hw");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task V6EndpointsAnswerTheMinimalFormWithTheSiteCredentials(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var http = new HttpClient { BaseAddress = central.BaseAddress };
        var settings = $$"""{"serverUrl":"{{central.BaseAddress}}","username":"clinic","passwordSha256":"{{OmsTestClient.Sha256Hex(SyncScenario.SitePassword)}}","siteUuid":"hw1","appVersion":"2.20.0","appName":"Open mSupply Desktop","syncVersion":"14"}""";
        var wrong = settings.Replace(OmsTestClient.Sha256Hex(SyncScenario.SitePassword), OmsTestClient.Sha256Hex("nope"), StringComparison.Ordinal);
        var ct = TestContext.Current.CancellationToken;

        async Task<string> Post(string path, string body)
        {
            using var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);
            Assert.Equal(200, (int)response.StatusCode);
            return await response.Content.ReadAsStringAsync(ct);
        }

        var pull = await Post("central/sync/pull", $$"""{"cursor":0,"batchSize":500,"syncV5Settings":{{settings}},"isInitialised":false,"syncV6Version":5}""");
        var push = await Post("central/sync/push", $$"""{"batch":{"end_cursor":0,"total_records":0,"records":[],"is_last_batch":true},"syncV5Settings":{{settings}},"syncV6Version":5}""");
        var status = await Post("central/sync/site_status", $$"""{"syncV5Settings":{{settings}},"syncV6Version":5}""");
        var refused = await Post("central/sync/site_status", $$"""{"syncV5Settings":{{wrong}},"syncV6Version":5}""");
        var tooNew = await Post("central/sync/site_status", $$"""{"syncV5Settings":{{settings}},"syncV6Version":99}""");

        Assert.Equal("""{"data":{"end_cursor":0,"total_records":0,"records":[],"is_last_batch":true}}""", pull);
        Assert.Equal("""{"data":{"records_pushed":0}}""", push);
        Assert.Equal("""{"data":{"is_integrating":false}}""", status);
        Assert.StartsWith("""{"error":{"otherServerError":"site_incorrect_password""", refused);
        Assert.Equal("""{"error":{"syncVersionMismatch":[0,5,99]}}""", tooNew);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AV6PushThatCarriesRecordsIsCountedLoggedAndStoresNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var http = new HttpClient { BaseAddress = central.BaseAddress };
        var settings = $$"""{"serverUrl":"{{central.BaseAddress}}","username":"clinic","passwordSha256":"{{OmsTestClient.Sha256Hex(SyncScenario.SitePassword)}}","siteUuid":"hw1","appVersion":"2.20.0","appName":"Open mSupply Desktop","syncVersion":"14"}""";
        var records = """[{"cursor":1,"record":{"tableName":"vaccination","recordId":"v1","action":"Upsert","recordData":{"id":"v1"}}},"""
            + """{"cursor":2,"record":{"tableName":"program_enrolment","recordId":"p1","action":"Upsert","recordData":{"id":"p1"}}}]""";
        // A first request binds the device (and logs that), so the push below is the only change.
        using (var first = await http.PostAsync("central/sync/site_status", new StringContent(
            $$"""{"syncV5Settings":{{settings}},"syncV6Version":5}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(200, (int)first.StatusCode);
        }
        var before = await DatabaseState.ReadAsync(central);

        using var response = await http.PostAsync("central/sync/push", new StringContent(
            $$"""{"batch":{"end_cursor":2,"total_records":2,"records":{{records}},"is_last_batch":true},"syncV5Settings":{{settings}},"syncV6Version":5}""",
            System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var after = await DatabaseState.ReadAsync(central);
        var warning = Assert.Single(await central.Admin.LogsAsync(site.Id), e => e.Event == "unknown_table");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"data":{"records_pushed":2}}""", body);
        Assert.Equal(before with { SiteLogs = before.SiteLogs + 1 }, after with { SitesUpdated = before.SitesUpdated });
        Assert.Equal("warning", warning.Level);
        Assert.Contains("v6 push of 2 record(s) (vaccination, program_enrolment) not stored", warning.Message, StringComparison.Ordinal);
    }
}
