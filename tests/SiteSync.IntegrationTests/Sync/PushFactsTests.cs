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

    private static PushFacts.Kept Kept(string recordId, string text, RecordFacts facts) =>
        new("transact", recordId, text, facts);

    [Fact]
    public void FactsAreFoundOnlyForTheExactTextTheyWereReadFromAndOnlyOnce()
    {
        var facts = new PushFacts(TimeProvider.System);
        var table = TableCatalog.Default["transact"];
        const string text = """{"ID":"t1","store_ID":"S1","name_ID":"N1"}""";
        facts.Keep(7, [Kept("t1", text, RecordFacts.Read(table, "t1", text))]);

        var held = facts.Take(7);

        Assert.Equal("S1", held.Find("transact", "t1", text)?.StoreId);
        Assert.Equal("S1", held.Find("transact", "t1", new string(text.ToCharArray()))?.StoreId);
        Assert.Null(held.Find("transact", "t1", """{"ID":"t1","store_ID":"S2","name_ID":"N1"}"""));
        Assert.Null(held.Find("transact", "t1", text + " "));
        Assert.Null(held.Find("transact", "t1", null));
        Assert.Null(held.Find("transact", "t2", text));
        Assert.Null(facts.Take(7).Find("transact", "t1", text));
        Assert.Equal(0, facts.Count);
    }

    [Fact]
    public void AtMostMaxHeldRecordsAreKeptOverAllSites()
    {
        var facts = new PushFacts(TimeProvider.System);
        var table = TableCatalog.Default["transact"];
        var sample = RecordFacts.Read(table, "t", """{"ID":"t"}""");
        for (var i = 0; i < PushFacts.MaxHeld + 10; i += 1000)
        {
            facts.Keep(1 + i / 1000 % 2, [.. Enumerable.Range(i, 1000).Select(n => Kept($"t{n}", "{}", sample))]);
        }
        facts.Keep(1, [Kept("t0", "{\"a\":1}", sample)]); // a new version of a held record replaces it

        Assert.Equal(PushFacts.MaxHeld, facts.Count);
        var first = facts.Take(1);
        Assert.NotNull(first.Find("transact", "t0", "{\"a\":1}"));
        Assert.Null(first.Find("transact", "t0", "{}"));
        Assert.Null(first.Find("transact", $"t{PushFacts.MaxHeld + 8}", "{}"));
        Assert.Equal(PushFacts.MaxHeld / 2, facts.Count);
    }

    /// <summary>A site whose link dropped mid-push never sends its final batch, so no integration takes its entries: they are
    /// forgotten once it has sent nothing for <see cref="PushFacts.MaxIdle"/>, when any site next keeps a batch.</summary>
    [Fact]
    public void TheEntriesOfASiteThatStoppedPushingAreForgottenAfterTheIdleLimit()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var facts = new PushFacts(clock);
        var table = TableCatalog.Default["transact"];
        var sample = RecordFacts.Read(table, "t", """{"ID":"t"}""");
        facts.Keep(1, [Kept("a1", "{}", sample), Kept("a2", "{}", sample)]);
        facts.Keep(2, [Kept("b1", "{}", sample)]);
        clock.Advance(TimeSpan.FromMinutes(6));
        facts.Keep(1, [Kept("a3", "{}", sample)]); // still pushing: its clock starts again

        clock.Advance(PushFacts.MaxIdle - TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));
        facts.Keep(3, []);
        Assert.Equal(3, facts.Count); // site 2 is past the limit, site 1 is not
        Assert.Null(facts.Take(2).Find("transact", "b1", "{}"));

        clock.Advance(PushFacts.MaxIdle);
        facts.Keep(3, [Kept("c1", "{}", sample)]);
        Assert.Equal(1, facts.Count);
        Assert.Null(facts.Take(1).Find("transact", "a1", "{}"));
        Assert.NotNull(facts.Take(3).Find("transact", "c1", "{}"));
    }
}
