using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Routing;

/// <summary>routing.md §5.2 and §3–§4 over real HTTP: patients, clinicians, documents, messages, barcodes, goods received,
/// central data and verbatim storage, between sites that speak like the Open mSupply client.</summary>
public sealed class SharedDataRoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertHolds(OmsTestClient site, string table, JsonObject expected) =>
        Assert.True(site.Records.TryGetValue((table, expected["ID"]!.GetValue<string>()), out var actual)
            && JsonNode.DeepEquals(expected, actual), $"{site.SiteName} lacks {table} {expected["ID"]} as pushed");

    private static async Task PushAsync(OmsTestClient site, params (string Table, JsonObject Record)[] records)
    {
        foreach (var (table, record) in records)
        {
            site.Edit(table, record["ID"]!.GetValue<string>(), record);
        }
        site.Received.Clear();
        await site.SyncAsync();
        Assert.DoesNotContain(site.Received, r => records.Any(c => c.Table == r.Table && c.Record["ID"]!.GetValue<string>() == r.Id));
    }

    private static JsonObject Patient(string id, string homeStore) => RoutingWorld.Record("name", id, new()
    {
        ["type"] = "patient", ["first"] = "Ana", ["last"] = "Lima", ["supplying_store_id"] = homeStore, ["isDeceased"] = false,
    });

    private static JsonObject NameStoreJoin(string id, string nameId, string storeId) =>
        RoutingWorld.Record("name_store_join", id, new() { ["name_ID"] = nameId, ["store_ID"] = storeId, ["inactive"] = false });

    private static async Task<IReadOnlyList<string>> RejectionsAsync(RoutingWorld world, string site) =>
        [.. (await world.Central.Admin.LogsAsync(world.Sites[site].Id)).Where(l => l.Event == "record_rejected").Select(l => l.Message)];

    [Theory, ClassData(typeof(BothEngines))]
    public async Task APatientAndAClinicianPushedByASiteAreAcceptedAndComeBackExactlyAfterReinitialisation(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "clinic");
        var store = world.Stores["clinic"].Id;
        var patient = Patient("P1", store);
        var join = NameStoreJoin("J1", "P1", store);
        var insurance = RoutingWorld.Record("nameInsuranceJoin", "I1", new() { ["nameID"] = "P1", ["insuranceProviderID"] = "prov", ["policyNumber"] = "X-1" });
        var clinician = RoutingWorld.Record("clinician", "C1", new() { ["store_ID"] = store, ["code"] = "DR1", ["first_name"] = "Rui", ["last_name"] = "Dias" });
        var clinicianJoin = RoutingWorld.Record("clinician_store_join", "CJ1", new() { ["prescriber_ID"] = "C1", ["store_ID"] = store });
        await PushAsync(world["clinic"], ("name", patient), ("name_store_join", join), ("nameInsuranceJoin", insurance),
            ("clinician", clinician), ("clinician_store_join", clinicianJoin));
        // An edit from the site (routing.md §5.2 test 18 step 2).
        patient["last"] = "Lima Santos";
        patient["om_date_of_death"] = "2026-01-01";
        await PushAsync(world["clinic"], ("name", patient));

        var fresh = world.Reinstall("clinic");
        await fresh.SyncAsync();

        Assert.Empty(await RejectionsAsync(world, "clinic"));
        AssertHolds(fresh, "name", patient);
        AssertHolds(fresh, "name_store_join", join);
        AssertHolds(fresh, "nameInsuranceJoin", insurance);
        AssertHolds(fresh, "clinician", clinician);
        AssertHolds(fresh, "clinician_store_join", clinicianJoin);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ANewNameStoreJoinMakesAPatientVisibleOnASecondSiteWithItsWholeBundleAndEditsThenFlowBothWays(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "north", "south");
        var (north, south) = (world["north"], world["south"]);
        var patient = Patient("P1", world.Stores["north"].Id);
        var document = RoutingWorld.Record("om_document", "D1", new() { ["owner_name_ID"] = "P1", ["type"] = "Patient", ["status"] = "ACTIVE", ["data"] = "{}" });
        var insurance = RoutingWorld.Record("nameInsuranceJoin", "I1", new() { ["nameID"] = "P1", ["policyNumber"] = "X-1" });
        await PushAsync(north, ("name", patient), ("name_store_join", NameStoreJoin("J1", "P1", world.Stores["north"].Id)),
            ("om_document", document), ("nameInsuranceJoin", insurance));
        south.Received.Clear();
        await south.SyncAsync();
        Assert.DoesNotContain(south.Received, r => r.Id == "P1"); // not visible there yet

        // Central links the patient to the south store (as /api/v4/name_store_join would).
        await world.Central.Admin.UpsertRecordsAsync(new JsonObject
        {
            ["name_store_join"] = new JsonArray(NameStoreJoin("J2", "P1", world.Stores["south"].Id)),
        }.ToJsonString());
        await south.SyncAsync();
        AssertHolds(south, "name", patient);
        AssertHolds(south, "om_document", document);
        AssertHolds(south, "nameInsuranceJoin", insurance);
        Assert.True(south.Records.ContainsKey(("name_store_join", "J2")));

        // Now visible on both: an edit on either site reaches the other, never its pusher.
        patient["first"] = "Ana Maria";
        await PushAsync(north, ("name", patient));
        await south.SyncAsync();
        AssertHolds(south, "name", patient);
        patient["phone"] = "555";
        var version2 = RoutingWorld.Record("om_document", "D2", new() { ["owner_name_ID"] = "P1", ["parent_IDs"] = "[\"D1\"]", ["status"] = "ACTIVE" });
        await PushAsync(south, ("name", patient), ("om_document", version2));
        await north.SyncAsync();
        AssertHolds(north, "name", patient);
        AssertHolds(north, "om_document", version2);
        Assert.Empty(await RejectionsAsync(world, "north"));
        Assert.Empty(await RejectionsAsync(world, "south"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AMessageReachesTheSiteOfTheStoreItIsAddressedToAndNoOtherSite(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "north", "south", "east");
        var message = RoutingWorld.Record("message", "M1", new()
        {
            ["toStoreID"] = world.Stores["south"].Id, ["fromStoreID"] = world.Stores["north"].Id, ["body"] = "{\"a\":1}",
            ["createdDate"] = "2026-11-26", ["createdTime"] = 3600, ["status"] = "new", ["type"] = "RequestFieldChange",
        });
        await PushAsync(world["north"], ("message", message));
        world["east"].Received.Clear();
        await world.SyncAsync("south", "east");

        AssertHolds(world["south"], "message", message);
        Assert.DoesNotContain(world["east"].Received, r => r.Table == "message");
        // The receiver marks it processed: that stays on central (M1: its own store's site).
        message["status"] = "processed";
        world["north"].Received.Clear();
        await PushAsync(world["south"], ("message", message));
        await world.SyncAsync("north");
        Assert.DoesNotContain(world["north"].Received, r => r.Table == "message");
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ABarcodePushedByOneSiteReachesEverySite(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "north", "south", "east");
        var barcode = RoutingWorld.Record("barcode", "B1", new() { ["barcode"] = "07612345678900", ["itemID"] = "item-a", ["packSize"] = 10 });
        world["north"].Edit("barcode", "B1", barcode);
        await world.SyncAsync("north", "south", "east");

        AssertHolds(world["south"], "barcode", barcode);
        AssertHolds(world["east"], "barcode", barcode);
        Assert.Empty(await RejectionsAsync(world, "north"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task GoodsReceivedAndItsLinesAreAcceptedAndComeBackUnlessCentralHoldsTheInboundShipmentMadeFromThem(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "clinic");
        var store = world.Stores["clinic"].Id;
        var received = RoutingWorld.Record("Goods_received", "GR1", new() { ["store_ID"] = store, ["status"] = "nw", ["purchase_order_ID"] = "PO1" });
        var line = RoutingWorld.Record("Goods_received_line", "GRL1", new() { ["goods_received_ID"] = "GR1", ["item_ID"] = "item-a", ["quantity_received"] = 4 });
        var other = RoutingWorld.Record("Goods_received", "GR2", new() { ["store_ID"] = store, ["status"] = "fn" });
        var otherLine = RoutingWorld.Record("Goods_received_line", "GRL2", new() { ["goods_received_ID"] = "GR2" });
        await PushAsync(world["clinic"], ("Goods_received", received), ("Goods_received_line", line), ("Goods_received", other), ("Goods_received_line", otherLine));
        // A 2.20 remote turns GR2 into an inbound shipment with the same ids (routing.md §4.5).
        await PushAsync(world["clinic"], ("transact", world.Invoice("GR2", "clinic", "supplier-name", "si", "nw")),
            ("trans_line", RoutingWorld.InvoiceLine("GRL2", "GR2", 4)));

        var fresh = world.Reinstall("clinic");
        await fresh.SyncAsync();

        Assert.Empty(await RejectionsAsync(world, "clinic"));
        AssertHolds(fresh, "Goods_received", received);
        AssertHolds(fresh, "Goods_received_line", line);
        Assert.DoesNotContain(fresh.Received, r => r.Table is "Goods_received" or "Goods_received_line" && r.Id is "GR2" or "GRL2");
        Assert.True(fresh.Records.ContainsKey(("transact", "GR2")));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ContactIsCentralDataAndEveryRecordIncludingStoreIsServedExactlyAsItArrived(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "clinic");
        var store = world.Stores["clinic"];
        const string Contact = """{"ID":"CT1","name_ID":"N1","first":"Zé","last":"O`Neil","email":"z\u00e9@example.org","position":"Pharmacist"}""";
        var storeRecord = $$"""{"ID":"{{store.Id}}","code":"{{store.Code}}","name":"{{store.Name}}","name_ID":"{{store.NameId}}","sync_id_remote_site":{{world.Sites["clinic"].Id}},"comment":"back`tick & <angle> 'quote' \u00e9","store_mode":"store"}""";

        var result = await world.Central.Admin.UpsertRecordsAsync($$"""{"contact":[{{Contact}}],"store":[{{storeRecord}}]}""");
        var client = world["clinic"];
        var page = await client.GetAsync("/sync/v5/central_records?cursor=0&limit=500");

        Assert.Equal(2, result.Changed);
        // The latest row of each record: the store's first row is its creation.
        var served = page.Json.GetProperty("data").EnumerateArray().GroupBy(r => r.GetProperty("recordId").GetString()!)
            .ToDictionary(g => g.Key, g => g.Last().GetProperty("recordData").GetRawText());
        Assert.Equal(Contact, served["CT1"]);
        Assert.Equal(storeRecord, served[store.Id]);
        Assert.Equal(storeRecord, await world.Central.QueryAsync(db => db.Records.Where(r => r.TableName == "store" && r.RecordId == store.Id).Select(r => r.Data).FirstAsync(Ct)));
    }
}
