using System.Text.Json.Nodes;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Routing;

/// <summary>routing.md §5.1: the Open mSupply transfer scenarios over real HTTP, two or three sites speaking like the client.
/// Site "supplier" holds store SUPPLIER, site "customer" holds store CUSTOMER.</summary>
public sealed class TransferRoutingTests
{
    private const string Supplier = "supplier";
    private const string Customer = "customer";


    private static void AssertHolds(OmsTestClient site, string table, JsonObject expected) =>
        Assert.True(site.Records.TryGetValue((table, expected["ID"]!.GetValue<string>()), out var actual)
            && JsonNode.DeepEquals(expected, actual), $"{site.SiteName} lacks {table} {expected["ID"]} as pushed");

    private static async Task PushAsync(OmsTestClient site, params (string Table, JsonObject? Record, string Id)[] changes)
    {
        foreach (var (table, record, id) in changes)
        {
            site.Edit(table, id, record);
        }
        site.Received.Clear();
        await site.SyncAsync();
        // G2: whatever the site pushed never comes back to it.
        Assert.DoesNotContain(site.Received, r => changes.Any(c => c.Table == r.Table && c.Id == r.Id));
    }

    private static (string, JsonObject?, string) Up(string table, JsonObject record) => (table, record, record["ID"]!.GetValue<string>());

    private static (string, JsonObject?, string) Down(string table, string id) => (table, null, id);

    /// <summary>routing.md §6 Q2: a transfer between stores that do not see each other's names is forwarded anyway, and the
    /// pusher's site log says so once per push; once each store sees the other, it says nothing.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AShipmentBetweenStoresThatDoNotSeeEachOtherIsForwardedAndLogged(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var (supplier, customer) = (world[Supplier], world[Customer]);
        async Task<int> NotesAsync() =>
            (await world.Central.Admin.LogsAsync(world.Sites[Supplier].Id)).Count(l => l.Event == "transfer_without_visibility");

        var unseen = world.Invoice("OS1", Supplier, world.NameOf(Customer), "ci", "sg");
        await PushAsync(supplier, Up("transact", unseen), Up("trans_line", RoutingWorld.InvoiceLine("L1", "OS1", 1)));
        await customer.SyncAsync();
        AssertHolds(customer, "transact", unseen);
        Assert.Equal(1, await NotesAsync());

        await world.Central.Admin.UpsertRecordsAsync(new JsonObject
        {
            ["name_store_join"] = new JsonArray(
                new JsonObject { ["ID"] = "nsj-s", ["store_ID"] = world.Stores[Supplier].Id, ["name_ID"] = world.NameOf(Customer) },
                new JsonObject { ["ID"] = "nsj-c", ["store_ID"] = world.Stores[Customer].Id, ["name_ID"] = world.NameOf(Supplier) }),
        }.ToJsonString());
        var seen = world.Invoice("OS2", Supplier, world.NameOf(Customer), "ci", "sg");
        await PushAsync(supplier, Up("transact", seen));
        await customer.SyncAsync();
        AssertHolds(customer, "transact", seen);
        Assert.Equal(1, await NotesAsync());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ShipmentRoundTripCarriesEveryStatusBothWays(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var (supplier, customer) = (world[Supplier], world[Customer]);

        // 1. The customer's request, Sent, reaches the supplier.
        var request = world.Requisition("RQ", Customer, world.NameOf(Supplier), "request", "fn");
        await PushAsync(customer, Up("requisition", request));
        await supplier.SyncAsync();
        AssertHolds(supplier, "requisition", request);

        // 2. The supplier's response and its outbound shipment (Allocated) with four lines reach the customer, and the
        //    response no later than the shipment that references it (§2.5 1).
        var response = world.Requisition("RS", Supplier, world.NameOf(Customer), "response", "cn");
        response["linked_requisition_ID"] = "RQ";
        var outbound = world.Invoice("OS", Supplier, world.NameOf(Customer), "ci", "sg", requisitionId: "RS");
        var lines = Enumerable.Range(1, 4).Select(i => RoutingWorld.InvoiceLine($"L{i}", "OS", i)).ToList();
        await PushAsync(supplier, [Up("requisition", response), Up("transact", outbound), .. lines.Select(l => Up("trans_line", l))]);
        customer.Received.Clear();
        await customer.SyncAsync();
        AssertHolds(customer, "requisition", response);
        AssertHolds(customer, "transact", outbound);
        Assert.All(lines, line => AssertHolds(customer, "trans_line", line));

        // 3. Picked, with a placeholder line.
        outbound["status"] = "cn";
        var placeholder = RoutingWorld.InvoiceLine("UL", "OS", 0);
        await PushAsync(supplier, Up("transact", outbound), Up("trans_line", placeholder));
        await customer.SyncAsync();
        AssertHolds(customer, "transact", outbound);
        AssertHolds(customer, "trans_line", placeholder);

        // 4. The customer's inbound shipment (its own half, named after the supplier) comes back to the supplier.
        var inbound = world.Invoice("IS", Customer, world.NameOf(Supplier), "si", "nw");
        inbound["linked_transaction_ID"] = "OS";
        var inboundLines = Enumerable.Range(1, 4).Select(i => RoutingWorld.InvoiceLine($"IL{i}", "IS", i)).ToList();
        await PushAsync(customer, [Up("transact", inbound), .. inboundLines.Select(l => Up("trans_line", l))]);
        await supplier.SyncAsync();
        AssertHolds(supplier, "transact", inbound);
        Assert.All(inboundLines, line => AssertHolds(supplier, "trans_line", line));

        // 5. Shipped: one line deleted, one changed.
        outbound["status"] = "fn";
        lines[1]["quantity"] = 21;
        await PushAsync(supplier, Down("trans_line", "L1"), Up("trans_line", lines[1]), Up("transact", outbound));
        await customer.SyncAsync();
        Assert.False(customer.Records.ContainsKey(("trans_line", "L1")));
        AssertHolds(customer, "trans_line", lines[1]);
        AssertHolds(customer, "transact", outbound);
        Assert.Equal(["L2", "L3", "L4", "UL"], customer.Records.Where(r => r.Key.Table == "trans_line" && r.Value["transaction_ID"]?.GetValue<string>() == "OS")
            .Select(r => r.Key.Id).Order());

        // 6. Received, then verified: the status goes back to the supplier each time.
        foreach (var status in new[] { "cn", "fn" })
        {
            inbound["status"] = status;
            await PushAsync(customer, Up("transact", inbound));
            await supplier.SyncAsync();
            AssertHolds(supplier, "transact", inbound);
        }
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ADeletedShipmentIsDeletedOnTheCustomersSiteWithItsLines(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var (supplier, customer) = (world[Supplier], world[Customer]);
        var outbound = world.Invoice("OS", Supplier, world.NameOf(Customer), "ci", "cn");
        await PushAsync(supplier, Up("transact", outbound), Up("trans_line", RoutingWorld.InvoiceLine("L1", "OS", 1)), Up("trans_line", RoutingWorld.InvoiceLine("L2", "OS", 2)));
        await customer.SyncAsync();
        Assert.True(customer.Records.ContainsKey(("transact", "OS")));

        await PushAsync(supplier, Down("trans_line", "L1"), Down("trans_line", "L2"), Down("transact", "OS"));
        customer.Received.Clear();
        await customer.SyncAsync();

        Assert.False(customer.Records.ContainsKey(("transact", "OS")));
        Assert.False(customer.Records.ContainsKey(("trans_line", "L1")));
        Assert.False(customer.Records.ContainsKey(("trans_line", "L2")));
        Assert.Equal(3, customer.Received.Count(r => r.Action == "delete"));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AReinitialisedCustomerReceivesTheShipmentsAndRequisitionsAddressedToIt(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var request = world.Requisition("RQ", Customer, world.NameOf(Supplier), "request", "fn");
        await PushAsync(world[Customer], Up("requisition", request));
        var response = world.Requisition("RS", Supplier, world.NameOf(Customer), "response", "cn");
        var outbound = world.Invoice("OS", Supplier, world.NameOf(Customer), "ci", "cn", requisitionId: "RS");
        var line = RoutingWorld.InvoiceLine("L1", "OS", 5);
        await PushAsync(world[Supplier], Up("requisition", response), Up("transact", outbound), Up("trans_line", line));
        await world.SyncAsync(Supplier);

        var fresh = world.Reinstall(Customer);
        await fresh.SyncAsync();

        AssertHolds(fresh, "requisition", request); // its own data
        AssertHolds(fresh, "requisition", response); // incoming transfers, with the lines of each
        AssertHolds(fresh, "transact", outbound);
        AssertHolds(fresh, "trans_line", line);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task RequisitionRoundTripAndInitialisation(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var (supplier, customer) = (world[Supplier], world[Customer]);

        // Draft with two lines: everything reaches the supplier at once (the receiver filters by status, not central).
        var request = world.Requisition("RQ", Customer, world.NameOf(Supplier), "request", "sg");
        var lines = new[] { RoutingWorld.RequisitionLine("RL1", "RQ"), RoutingWorld.RequisitionLine("RL2", "RQ") };
        await PushAsync(customer, Up("requisition", request), Up("requisition_line", lines[0]), Up("requisition_line", lines[1]));
        await supplier.SyncAsync();
        AssertHolds(supplier, "requisition", request);
        Assert.All(lines, l => AssertHolds(supplier, "requisition_line", l));

        // Sent; then the supplier's response with its lines comes back, and is finalised.
        request["status"] = "fn";
        await PushAsync(customer, Up("requisition", request));
        await supplier.SyncAsync();
        AssertHolds(supplier, "requisition", request);
        var response = world.Requisition("RS", Supplier, world.NameOf(Customer), "response", "sg");
        response["linked_requisition_ID"] = "RQ";
        await PushAsync(supplier, Up("requisition", response), Up("requisition_line", RoutingWorld.RequisitionLine("SL1", "RS")), Up("requisition_line", RoutingWorld.RequisitionLine("SL2", "RS")));
        await customer.SyncAsync();
        AssertHolds(customer, "requisition", response);
        Assert.Equal(2, customer.Records.Keys.Count(k => k.Table == "requisition_line" && k.Id.StartsWith("SL", StringComparison.Ordinal)));
        response["status"] = "fn";
        await PushAsync(supplier, Up("requisition", response));
        await customer.SyncAsync();
        AssertHolds(customer, "requisition", response);

        // The supplier's site is reinstalled: the request and its lines come with initialisation.
        var fresh = world.Reinstall(Supplier);
        await fresh.SyncAsync();
        AssertHolds(fresh, "requisition", request);
        Assert.All(lines, l => AssertHolds(fresh, "requisition_line", l));
        AssertHolds(fresh, "requisition", response);
    }

    /// <summary>routing.md §4.6 with the reading of §6 Q3: a program request brings the requesting store's own indicator
    /// values for its period to the supplier's site, in the same push or later, on initialisation too, and later changes
    /// follow until the request is finalised; values of other periods, or about other facilities, stay at home.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AProgramRequestBringsItsIndicatorValuesToTheSupplierUntilItIsFinalised(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var customer = world[Customer];
        var store = world.Stores[Customer].Id;
        JsonObject Value(string id, string period, string facility, string value) => RoutingWorld.Record("indicator_value", id, new()
        {
            ["store_ID"] = store, ["facility_ID"] = facility, ["period_ID"] = period, ["column_ID"] = "col", ["row_ID"] = "row", ["value"] = value,
        });
        var own = Value("IV1", "P-OCT", store, "12");
        var otherPeriod = Value("IV2", "P-SEP", store, "3");
        var otherFacility = Value("IV3", "P-OCT", world.Stores[Supplier].Id, "4");
        var request = world.Requisition("RQ", Customer, world.NameOf(Supplier), "request", "sg");
        request["periodID"] = "P-OCT";
        request["programID"] = "program-1";

        await PushAsync(customer, Up("indicator_value", own), Up("indicator_value", otherPeriod), Up("indicator_value", otherFacility),
            Up("requisition", request), Up("requisition_line", RoutingWorld.RequisitionLine("RL1", "RQ")));
        await world[Supplier].SyncAsync();
        AssertHolds(world[Supplier], "requisition", request);
        AssertHolds(world[Supplier], "indicator_value", own);
        Assert.False(world[Supplier].Records.ContainsKey(("indicator_value", "IV2")));
        Assert.False(world[Supplier].Records.ContainsKey(("indicator_value", "IV3")));

        own["value"] = "15";
        await PushAsync(customer, Up("indicator_value", own));
        var fresh = world.Reinstall(Supplier);
        await fresh.SyncAsync();
        AssertHolds(fresh, "indicator_value", own);
        Assert.False(fresh.Records.ContainsKey(("indicator_value", "IV2")));

        request["status"] = "fn";
        await PushAsync(customer, Up("requisition", request));
        own["value"] = "16";
        await PushAsync(customer, Up("indicator_value", own));
        fresh.Received.Clear();
        await fresh.SyncAsync();
        Assert.Equal("15", fresh.Records[("indicator_value", "IV1")]["value"]!.GetValue<string>());
        Assert.DoesNotContain(fresh.Received, r => r.Table == "indicator_value");
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ReturnsTravelBothWaysAreDeletedTogetherAndComeWithInitialisation(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var (supplier, customer) = (world[Supplier], world[Customer]);
        // The shipment the return refers to, already linked both ways.
        var outbound = world.Invoice("OS", Supplier, world.NameOf(Customer), "ci", "fn");
        await PushAsync(supplier, Up("transact", outbound));
        var inbound = world.Invoice("IS", Customer, world.NameOf(Supplier), "si", "fn");
        inbound["linked_transaction_ID"] = "OS";
        await PushAsync(customer, Up("transact", inbound));
        await supplier.SyncAsync();

        // The customer's supplier return reaches the supplier, whose customer return comes back.
        var supplierReturn = world.Invoice("SR", Customer, world.NameOf(Supplier), "sc", "sg");
        supplierReturn["om_original_shipment_id"] = "IS";
        var returnLine = RoutingWorld.InvoiceLine("SRL", "SR", 1);
        await PushAsync(customer, Up("transact", supplierReturn), Up("trans_line", returnLine));
        await supplier.SyncAsync();
        AssertHolds(supplier, "transact", supplierReturn);
        AssertHolds(supplier, "trans_line", returnLine);
        var customerReturn = world.Invoice("CR", Supplier, world.NameOf(Customer), "cc", "cn");
        customerReturn["linked_transaction_ID"] = "SR";
        await PushAsync(supplier, Up("transact", customerReturn), Up("trans_line", RoutingWorld.InvoiceLine("CRL", "CR", 1)));
        await customer.SyncAsync();
        AssertHolds(customer, "transact", customerReturn);

        // Reinstalled, the supplier gets its own halves and every incoming one: the return, its line, the inbound shipment.
        var fresh = world.Reinstall(Supplier);
        await fresh.SyncAsync();
        AssertHolds(fresh, "transact", supplierReturn);
        AssertHolds(fresh, "trans_line", returnLine);
        AssertHolds(fresh, "transact", inbound);
        AssertHolds(fresh, "transact", customerReturn);

        // The customer deletes its return: line and header deletes reach the supplier.
        await PushAsync(customer, Down("trans_line", "SRL"), Down("transact", "SR"));
        await fresh.SyncAsync();
        Assert.False(fresh.Records.ContainsKey(("transact", "SR")));
        Assert.False(fresh.Records.ContainsKey(("trans_line", "SRL")));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ATransferToAStoreOnThePushersOwnSiteOrOnTheCentralSiteIsStoredAndNotForwarded(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer);
        var central = world.Central;
        // A second store on the supplier's site, and a store the central server holds itself.
        var sameSite = await central.Admin.CreateStoreAsync("SAME", "Same-site store");
        await central.Admin.UpdateSiteAsync(world.Sites[Supplier].Id, AdminClient.EditOf(await central.Admin.GetSiteAsync(world.Sites[Supplier].Id))
            with { StoreIds = [world.Stores[Supplier].Id, sameSite.Id] });
        var onCentral = await central.Admin.CreateStoreAsync("HQ", "Central warehouse");
        await world.SyncAsync(Supplier, Customer);

        var local = world.Invoice("LOCAL", Supplier, sameSite.NameId, "ci", "cn");
        var toCentral = world.Invoice("HQ1", Supplier, onCentral.NameId, "ci", "cn");
        await PushAsync(world[Supplier], Up("transact", local), Up("transact", toCentral));
        world[Customer].Received.Clear();
        await world.SyncAsync(Customer);

        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "LOCAL"));
        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "HQ1"));
        Assert.DoesNotContain(world[Customer].Received, r => r.Item1 == "transact");
        Assert.Equal(0, await central.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Queue, TestContext.Current.CancellationToken)));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AStoreMovedToAnotherSiteTakesItsIncomingTransfersWithIt(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, Supplier, Customer, "newsite");
        var outbound = world.Invoice("OS", Supplier, world.NameOf(Customer), "ci", "cn");
        var line = RoutingWorld.InvoiceLine("L1", "OS", 3);
        await PushAsync(world[Supplier], Up("transact", outbound), Up("trans_line", line));
        await world.SyncAsync(Customer); // what was addressed to the store while it was there, the old site has

        // The customer's store moves to the new site (which keeps its own store too).
        var central = world.Central;
        var target = await central.Admin.GetSiteAsync(world.Sites["newsite"].Id);
        await central.Admin.UpdateSiteAsync(target.Id, AdminClient.EditOf(target) with { StoreIds = [.. target.Stores.Select(s => s.Id), world.Stores[Customer].Id] });
        await world.SyncAsync("newsite");

        AssertHolds(world["newsite"], "transact", outbound);
        AssertHolds(world["newsite"], "trans_line", line);

        // From now on, forwards go to the new site.
        outbound["status"] = "fn";
        await PushAsync(world[Supplier], Up("transact", outbound));
        world[Customer].Received.Clear();
        await world.SyncAsync("newsite", Customer);
        AssertHolds(world["newsite"], "transact", outbound);
        Assert.DoesNotContain(world[Customer].Received, r => r.Id == "OS");
    }

    /// <summary>routing.md §6 Q4 (its reading): edits the old site made before it learned of a store move are kept and sent to
    /// the store's new site; once the old site has synced since the move, its edits of the store are refused.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task EditsMadeBeforeAStoreMoveReachTheNewSiteAndLaterOnesAreRefused(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "old", "new");
        var moved = world.Invoice("T1", "old", "some-customer", "ci", "sg");
        world["old"].Edit("transact", "T1", moved); // made offline, before the move

        var central = world.Central;
        var target = await central.Admin.GetSiteAsync(world.Sites["new"].Id);
        await central.Admin.UpdateSiteAsync(target.Id, AdminClient.EditOf(target) with { StoreIds = [.. target.Stores.Select(s => s.Id), world.Stores["old"].Id] });
        await world.SyncAsync("new"); // the store's data arrives before the old site has pushed
        await world.SyncAsync("old", "new");

        AssertHolds(world["new"], "transact", moved);
        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "T1"));
        var late = world.Invoice("T2", "old", "some-customer", "ci", "sg");
        world["old"].Edit("transact", "T2", late);
        await world.SyncAsync("old");
        Assert.Null(await central.Admin.GetRecordAsync("transact", "T2"));
        Assert.Contains(await central.Admin.LogsAsync(world.Sites["old"].Id),
            l => l.Event == "record_rejected" && l.Message.Contains("'T2'", StringComparison.Ordinal));
    }
}
