using System.Text.Json.Nodes;
using SiteSync.Central.Routing;
using SiteSync.Central.Sync;
using SiteSync.IntegrationTests.Routing;
using SiteSync.Protocol.Catalog;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Routing facts read when a batch arrives are kept for the integration (<see cref="PushFacts"/>): integration must
/// still route every record by the version the buffer holds, never by facts read from another version of it.</summary>
public sealed class PushFactsTests
{
    private static string Batch(int queueLength, string syncOutId, JsonObject transact) =>
        $$"""{"queueLength":{{queueLength}},"data":[{"syncOutId":"{{syncOutId}}","tableName":"transact","recordId":"{{transact["ID"]}}","action":"Update","recordData":{{transact.ToJsonString()}}}]}""";

    /// <summary>A delayed attempt overtaken by its retry: the newer version (client change-log position 10) arrives first and
    /// addresses the shipment to store FIRST; the older one (position 5) arrives last and addresses it to SECOND. The buffer keeps
    /// the newer version, so the shipment is stored as it and goes to FIRST's site only, although the facts read last were the
    /// older version's.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnOlderVersionArrivingLastDoesNotLendItsRoutingToTheVersionTheBufferKeeps(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "supplier", "first", "second");
        var supplier = world["supplier"];
        var newer = world.Invoice("OS1", "supplier", world.NameOf("first"), "ci", "sg");
        var older = world.Invoice("OS1", "supplier", world.NameOf("second"), "ci", "sg");

        var pushes = new[]
        {
            await supplier.PostAsync("/sync/v5/queued_records", Batch(1, "10", newer)),
            await supplier.PostAsync("/sync/v5/queued_records", Batch(1, "5", older)),
            await supplier.PostAsync("/sync/v5/queued_records", """{"queueLength":0,"data":[]}"""),
        };
        await world.SyncAsync("first", "second");

        Assert.All(pushes, p => Assert.Equal(200, p.Status));
        var stored = await world.Central.Admin.GetRecordAsync("transact", "OS1");
        Assert.Equal(world.NameOf("first"), stored?.GetProperty("name_ID").GetString());
        Assert.True(world["first"].Records.TryGetValue(("transact", "OS1"), out var received) && JsonNode.DeepEquals(newer, received),
            "FIRST's site receives the shipment addressed to it");
        Assert.False(world["second"].Records.ContainsKey(("transact", "OS1")), "SECOND's site receives nothing of it");
    }

    [Fact]
    public void FactsAreFoundOnlyForTheExactTextTheyWereReadFromAndOnlyOnce()
    {
        var facts = new PushFacts();
        var table = TableCatalog.Default["transact"];
        const string text = """{"ID":"t1","store_ID":"S1","name_ID":"N1"}""";
        facts.Keep(7, "transact", "t1", text, RecordFacts.Read(table, "t1", text));

        var held = facts.Take(7);

        Assert.Equal("S1", held.Find("transact", "t1", text)?.StoreId);
        Assert.Equal("S1", held.Find("transact", "t1", new string(text.ToCharArray()))?.StoreId);
        Assert.Null(held.Find("transact", "t1", """{"ID":"t1","store_ID":"S2","name_ID":"N1"}"""));
        Assert.Null(held.Find("transact", "t1", null));
        Assert.Null(held.Find("transact", "t2", text));
        Assert.Null(facts.Take(7).Find("transact", "t1", text));
        Assert.Equal(0, facts.Count);
    }

    [Fact]
    public void AtMostMaxHeldRecordsAreKeptOverAllSites()
    {
        var facts = new PushFacts();
        var table = TableCatalog.Default["transact"];
        var sample = RecordFacts.Read(table, "t", """{"ID":"t"}""");
        for (var i = 0; i < PushFacts.MaxHeld + 10; i++)
        {
            facts.Keep(1 + i % 2, "transact", $"t{i}", "{}", sample);
        }
        facts.Keep(1, "transact", "t0", "{\"a\":1}", sample); // a new version of a held record replaces it

        Assert.Equal(PushFacts.MaxHeld, facts.Count);
        var first = facts.Take(1);
        Assert.NotNull(first.Find("transact", "t0", "{\"a\":1}"));
        Assert.Null(first.Find("transact", $"t{PushFacts.MaxHeld + 8}", "{}"));
        Assert.Equal(PushFacts.MaxHeld / 2, facts.Count);
    }
}
