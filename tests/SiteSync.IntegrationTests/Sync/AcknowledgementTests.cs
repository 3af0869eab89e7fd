using System.Text.Json.Nodes;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>An acknowledgement removes exactly the records it names (issue 8): whatever a site did not acknowledge comes again.</summary>
public sealed class AcknowledgementTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AcknowledgingHalfOfAPageBringsTheOtherHalfAgain(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var joins = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)new JsonObject
        {
            ["ID"] = $"nsj-{i:D3}", ["name_ID"] = $"name-{i}", ["store_ID"] = store.Id,
        })]);
        await central.Admin.UpsertRecordsAsync(new JsonObject { ["name_store_join"] = joins }.ToJsonString());
        using var client = SyncScenario.Client(central, "clinic");
        await client.GetAsync("/sync/v5/site");
        Assert.Equal(200, (await client.PostAsync("/sync/v5/initialise", "")).Status);

        var page = (await client.GetAsync("/sync/v5/queued_records?limit=500")).Json.GetProperty("data").EnumerateArray().ToList();
        var odd = page.Where((_, i) => i % 2 == 1).ToList();
        var acknowledge = await client.PostAsync("/sync/v5/acknowledged_records",
            new JsonObject { ["syncIDs"] = new JsonArray([.. odd.Select(r => (JsonNode)r.GetProperty("syncOutId").GetString()!)]) }.ToJsonString());
        var again = (await client.GetAsync("/sync/v5/queued_records?limit=500")).Json;

        Assert.Equal(200, page.Count);
        Assert.Equal(204, acknowledge.Status);
        var expected = page.Where((_, i) => i % 2 == 0).Select(r => r.GetProperty("recordId").GetString()).Order().ToList();
        var redelivered = again.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("recordId").GetString()).Order().ToList();
        Assert.Equal(expected, redelivered);
        Assert.Equal(100, again.GetProperty("queueLength").GetInt64());

        // Acknowledging those empties the queue; nothing comes a third time.
        await client.PostAsync("/sync/v5/acknowledged_records", new JsonObject
        {
            ["syncIDs"] = new JsonArray([.. again.GetProperty("data").EnumerateArray().Select(r => (JsonNode)r.GetProperty("syncOutId").GetString()!)]),
        }.ToJsonString());
        var last = (await client.GetAsync("/sync/v5/queued_records?limit=500")).Json;
        Assert.Equal(0, last.GetProperty("data").GetArrayLength());
    }
}
