using System.Text.Json.Nodes;
using SiteSync.Central.Routing;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Tests.Routing;

/// <summary>The routing function, table by table and rule by rule (routing.md §1 summary table, G1–G9, T1–T8, P1–P5, C1–C2,
/// M1, B1). Sites: 1 is central; S1 (name N1) is on site 2; S2 (N2) and S3 (N3) are on site 3; S4 (N4) on site 4; SC (NC)
/// on the central site.</summary>
public sealed class RouterTests
{
    private static readonly FakeRoutingView World = new FakeRoutingView(2)
        .Store("S1", "N1", 2).Store("S2", "N2", 3).Store("S3", "N3", 3).Store("S4", "N4", 4).Store("SC", "NC", FakeRoutingView.Central);

    private static TableInfo T(string table) => TableCatalog.Default[table];

    private static RouteDecision Upsert(IRoutingView view, string table, JsonObject record, StoredCopy? stored = null) =>
        Router.Decide(Change.Upsert(RecordFacts.Read(T(table), record["ID"]!.GetValue<string>(), record.ToJsonString())), stored, view);

    private static RouteDecision Delete(IRoutingView view, StoredCopy stored) => Router.Decide(Change.Delete(stored.Table, stored.Id), stored, view);

    private static List<(int, DeliveryKind, string, string)> Deliveries(RouteDecision route) =>
        [.. route.Deliveries.Select(d => (d.SiteId, d.Kind, d.Table, d.Id))];

    private static StoredCopy Stored(string table, string id, string? store = null, string? parent = null, string? to = null, string? subject = null) =>
        new(T(table).Variant is { } v && subject is not null && table == "name" ? v : T(table), id, store, parent, to, subject, false);

    // ---- Transfers (§2): transact and requisition, with their lines ----

    [Theory]
    [InlineData("transact")]
    [InlineData("requisition")]
    public void T1_AHeaderGoesToTheSiteOfItsCounterpartyAndNeverBackToItsPusher(string table)
    {
        var route = Upsert(World, table, new() { ["ID"] = "h1", ["store_ID"] = "S1", ["name_ID"] = "N2", ["status"] = "nw" });

        Assert.True(route.IsStored);
        Assert.Equal(("S1", "S2"), (route.StoreId, route.ToStoreId));
        Assert.Equal([(3, DeliveryKind.Record, table, "h1")], Deliveries(route));
        Assert.False(route.ToChangeLog);
    }

    [Fact]
    public void Q2_AHeaderBetweenStoresThatDoNotSeeEachOtherIsForwardedWithANote()
    {
        var seeing = Upsert(World, "transact", new() { ["ID"] = "h1", ["store_ID"] = "S1", ["name_ID"] = "N2" });
        var unseen = Upsert(World.As(2).Unjoined("S2", "N1"), "transact", new() { ["ID"] = "h1", ["store_ID"] = "S1", ["name_ID"] = "N2" });

        Assert.Null(seeing.Note);
        Assert.Equal([(3, DeliveryKind.Record, "transact", "h1")], Deliveries(unseen));
        Assert.Contains("do not see each other", unseen.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("N3", "T5: the counterparty is on the pusher's own site")]
    [InlineData("NC", "T6: the counterparty is on the central site")]
    [InlineData("patient-1", "a name that is no store's (a patient, a customer)")]
    [InlineData("N2", "the counterparty is the record's own store")]
    public void AHeaderWhoseCounterpartyIsNotOnAnotherRemoteSiteIsStoredOnly(string nameId, string because)
    {
        var route = Upsert(World.As(3), "transact", new() { ["ID"] = "h1", ["store_ID"] = "S2", ["name_ID"] = nameId });

        Assert.True(route.IsStored, because);
        Assert.Empty(route.Deliveries);
    }

    [Fact]
    public void G8_AHeaderOfAStoreNotActiveOnThePusherIsRejected()
    {
        var route = Upsert(World, "transact", new() { ["ID"] = "h1", ["store_ID"] = "S2", ["name_ID"] = "N4" });

        Assert.NotNull(route.Rejection);
        Assert.False(route.IsInvalid);
        Assert.Empty(route.Deliveries);
    }

    [Theory]
    [InlineData("trans_line", "transact", "transaction_ID")]
    [InlineData("requisition_line", "requisition", "requisition_ID")]
    public void T2_ALineGoesWhereItsHeaderGoesTogetherWithTheHeader(string line, string header, string parentField)
    {
        var view = World.As(2).Header(Stored(header, "h1", store: "S1", to: "S2"));

        var route = Upsert(view, line, new() { ["ID"] = "l1", [parentField] = "h1" });

        Assert.Equal(("S1", "S2", "h1"), (route.StoreId, route.ToStoreId, route.ParentId));
        Assert.Equal([(3, DeliveryKind.Record, header, "h1"), (3, DeliveryKind.Record, line, "l1")], Deliveries(route));
    }

    [Fact]
    public void ALineWhoseHeaderCentralDoesNotKnowIsRejectedAsInvalid()
    {
        var route = Upsert(World, "trans_line", new() { ["ID"] = "l1", ["transaction_ID"] = "nobody" });

        Assert.True(route.IsInvalid);
    }

    [Fact]
    public void ALineOfAnotherSitesHeaderIsRejected()
    {
        var view = World.As(2).Header(Stored("transact", "h1", store: "S2", to: "S1"));

        Assert.NotNull(Upsert(view, "trans_line", new() { ["ID"] = "l1", ["transaction_ID"] = "h1" }).Rejection);
    }

    [Theory]
    [InlineData("transact", null)]
    [InlineData("trans_line", "h1")]
    [InlineData("requisition", null)]
    [InlineData("requisition_line", "r1")]
    public void T3_ADeleteFollowsTheStoredCopyToTheCounterpartysSite(string table, string? parent)
    {
        var route = Delete(World, Stored(table, "x1", store: "S1", parent: parent, to: "S2"));

        Assert.True(route.IsStored);
        Assert.Equal([(3, DeliveryKind.Record, table, "x1")], Deliveries(route));
    }

    [Fact]
    public void T7_AHeaderWhoseCounterpartyChangedGoesWithItsLinesToTheNewSiteAndIsWithdrawnFromTheOld()
    {
        var route = Upsert(World, "transact", new() { ["ID"] = "h1", ["store_ID"] = "S1", ["name_ID"] = "N4" },
            Stored("transact", "h1", store: "S1", to: "S2"));

        Assert.True(route.RetargetLines);
        Assert.Equal("S4", route.ToStoreId);
        Assert.Equal(
            [(4, DeliveryKind.Record, "transact", "h1"), (4, DeliveryKind.LinesOf, "transact", "h1"),
             (3, DeliveryKind.RecordAsDelete, "transact", "h1"), (3, DeliveryKind.LinesOfAsDelete, "transact", "h1")],
            Deliveries(route));
    }

    [Fact]
    public void G2_TheReceivingSitesOwnHalfGoesBackToTheOriginatorNotToItself()
    {
        // T4: site 3's inbound shipment, named after the outbound's store S1, goes to site 2.
        var route = Upsert(World.As(3), "transact", new() { ["ID"] = "in1", ["store_ID"] = "S2", ["name_ID"] = "N1", ["linked_transaction_ID"] = "h1" });

        Assert.Equal([(2, DeliveryKind.Record, "transact", "in1")], Deliveries(route));
    }

    [Fact]
    public void CentralAuthorsTransfersOfTheStoresItHoldsAndForwardsThem()
    {
        var route = Upsert(World.As(FakeRoutingView.Central), "transact", new() { ["ID"] = "h1", ["store_ID"] = "SC", ["name_ID"] = "N1" });

        Assert.Equal([(2, DeliveryKind.Record, "transact", "h1")], Deliveries(route));
    }

    // ---- Own-store data (§1): kept on central only ----

    [Theory]
    [InlineData("item_line", "store_ID")]
    [InlineData("Stock_take", "store_ID")]
    [InlineData("Location", "store_ID")]
    [InlineData("location_movement", "store_ID")]
    [InlineData("om_activity_log", "store_ID")]
    [InlineData("sensor", "storeID")]
    [InlineData("temperature_log", "store_ID")]
    [InlineData("temperature_breach", "store_ID")]
    [InlineData("vaccine_vial_monitor_status_log", "store_ID")]
    [InlineData("purchase_order", "store_ID")]
    [InlineData("purchase_order_line", "store_ID")]
    [InlineData("indicator_value", "store_ID")]
    [InlineData("Goods_received", "store_ID")]
    public void OwnStoreDataIsStoredForItsStoreAndSentNowhere(string table, string storeField)
    {
        // name_ID on item_line and purchase_order is a supplier, never a counterparty (§4.8).
        var route = Upsert(World, table, new() { ["ID"] = "r1", [storeField] = "S1", ["name_ID"] = "N2" });
        var elsewhere = Upsert(World.As(3), table, new() { ["ID"] = "r1", [storeField] = "S1" });
        var delete = Delete(World, Stored(table, "r1", store: "S1"));

        Assert.Equal(("S1", 0), (route.StoreId, route.Deliveries.Count));
        Assert.NotNull(elsewhere.Rejection);
        Assert.True(delete.IsStored);
        Assert.Empty(delete.Deliveries);
    }

    [Fact]
    public void Q4_AnEditOfAStoreThatJustLeftThePushersSiteIsKeptAndGoesToTheStoresNewSite()
    {
        // S2 moved from site 2 to site 3; site 2 has not synced since and pushes what it edited before it knew.
        var view = World.As(2).Departed("S2");

        var upsert = Upsert(view, "transact", new() { ["ID"] = "h1", ["store_ID"] = "S2", ["name_ID"] = "N4" });
        var delete = Delete(view, Stored("item_line", "x1", store: "S2"));
        var afterItSynced = Upsert(World.As(2), "transact", new() { ["ID"] = "h1", ["store_ID"] = "S2", ["name_ID"] = "N4" });

        Assert.Equal([(3, DeliveryKind.Record, "transact", "h1"), (4, DeliveryKind.Record, "transact", "h1")], Deliveries(upsert));
        Assert.Equal([(3, DeliveryKind.Record, "item_line", "x1")], Deliveries(delete));
        Assert.NotNull(afterItSynced.Rejection);
    }

    // ---- Program indicator values with program requests (§4.6, Q3) ----

    [Fact]
    public void Q3_AnOpenProgramRequestBringsItsStoresIndicatorValuesForThePeriodToTheSuppliersSite()
    {
        var view = World.As(2).Program("S1", "P-2026-10", ["iv1", "iv2"]);
        JsonObject Request(string status, string type = "request", string period = "P-2026-10") =>
            new() { ["ID"] = "rq1", ["store_ID"] = "S1", ["name_ID"] = "N2", ["type"] = type, ["status"] = status, ["periodID"] = period };

        var sent = Upsert(view, "requisition", Request("sg"));
        var finalised = Upsert(view, "requisition", Request("fn"));
        var notProgram = Upsert(view, "requisition", Request("sg", period: ""));
        var response = Upsert(view, "requisition", Request("sg", type: "response"));

        Assert.Equal([(3, DeliveryKind.Record, "requisition", "rq1"), (3, DeliveryKind.Record, "indicator_value", "iv1"),
            (3, DeliveryKind.Record, "indicator_value", "iv2")], Deliveries(sent));
        Assert.Equal([(3, DeliveryKind.Record, "requisition", "rq1")], Deliveries(finalised));
        Assert.Equal([(3, DeliveryKind.Record, "requisition", "rq1")], Deliveries(notProgram));
        Assert.Equal([(3, DeliveryKind.Record, "requisition", "rq1")], Deliveries(response));
    }

    [Fact]
    public void Q3_AChangedIndicatorValueFollowsToTheSuppliersOfOpenRequestsOnlyWhenItIsTheStoresOwnValue()
    {
        var view = World.As(2).Program("S1", "P-2026-10", [], 3, 4);
        JsonObject Value(string facility) => new() { ["ID"] = "iv1", ["store_ID"] = "S1", ["facility_ID"] = facility, ["period_ID"] = "P-2026-10", ["value"] = "7" };

        var own = Upsert(view, "indicator_value", Value("S1"));
        var aboutACustomer = Upsert(view, "indicator_value", Value("S4"));
        var noRequest = Upsert(World, "indicator_value", Value("S1"));
        var delete = Delete(view, Stored("indicator_value", "iv1", store: "S1") with { ProgramPeriod = "P-2026-10" });

        Assert.Equal([(3, DeliveryKind.Record, "indicator_value", "iv1"), (4, DeliveryKind.Record, "indicator_value", "iv1")], Deliveries(own));
        Assert.Empty(aboutACustomer.Deliveries);
        Assert.Empty(noRequest.Deliveries);
        Assert.Equal([(3, DeliveryKind.Record, "indicator_value", "iv1"), (4, DeliveryKind.Record, "indicator_value", "iv1")], Deliveries(delete));
    }

    [Theory]
    [InlineData("Stock_take_lines", "Stock_take", "stock_take_ID")]
    [InlineData("Goods_received_line", "Goods_received", "goods_received_ID")]
    public void OwnLinesBelongToTheStoreOfTheirParent(string line, string parent, string field)
    {
        var view = World.As(2).Header(Stored(parent, "p1", store: "S1"));

        var route = Upsert(view, line, new() { ["ID"] = "l1", [field] = "p1" });

        Assert.Equal(("S1", 0), (route.StoreId, route.Deliveries.Count));
    }

    // ---- Patients (§3) ----

    [Fact]
    public void P1_APatientGoesToEverySiteWhereItIsVisibleExceptItsPusher()
    {
        var view = World.As(3).Seen(DataClass.Patient, "P", 2, 3, 4);

        var route = Upsert(view, "name", new() { ["ID"] = "P", ["type"] = "patient", ["first"] = "Ana", ["supplying_store_id"] = "S2" });

        Assert.Equal(("P", "S2"), (route.SubjectId, route.StoreId));
        Assert.Equal([2, 4], route.Deliveries.Select(d => d.SiteId));
        Assert.All(route.Deliveries, d => Assert.Equal((DeliveryKind.Record, "name", "P"), (d.Kind, d.Table, d.Id)));
    }

    [Fact]
    public void P1_APatientEditFromASiteWhereItIsNotVisibleIsAcceptedAndForwarded()
    {
        var route = Upsert(World.Seen(DataClass.Patient, "P", 3), "name", new() { ["ID"] = "P", ["type"] = "patient" });

        Assert.True(route.IsStored);
        Assert.Equal([3], route.Deliveries.Select(d => d.SiteId));
    }

    [Fact]
    public void ANonPatientNameIsCentralData()
    {
        Assert.NotNull(Upsert(World, "name", new() { ["ID"] = "F", ["type"] = "facility" }).Rejection);
        Assert.True(Upsert(World.As(FakeRoutingView.Central), "name", new() { ["ID"] = "F", ["type"] = "facility" }).ToChangeLog);
    }

    [Theory]
    [InlineData("nameInsuranceJoin", "nameID")]
    [InlineData("om_document", "owner_name_ID")]
    public void P5_PatientRecordsGoWhereTheirPatientIsVisible(string table, string field)
    {
        var route = Upsert(World.Seen(DataClass.Patient, "P", 2, 4), table, new() { ["ID"] = "d1", [field] = "P" });

        Assert.Equal("P", route.SubjectId);
        Assert.Equal([(4, DeliveryKind.Record, table, "d1")], Deliveries(route));
    }

    [Fact]
    public void ADocumentWithoutAnOwnerStaysOnCentral()
    {
        var route = Upsert(World.Seen(DataClass.Patient, "P", 3), "om_document", new() { ["ID"] = "d1", ["status"] = "ACTIVE" });

        Assert.True(route.IsStored);
        Assert.Empty(route.Deliveries);
    }

    [Fact]
    public void P2_ANameStoreJoinPushedForTheSitesOwnStoreIsStoredAndSentNowhere()
    {
        var route = Upsert(World, "name_store_join", new() { ["ID"] = "j1", ["name_ID"] = "P", ["store_ID"] = "S1", ["inactive"] = false });

        Assert.Equal(("S1", "P"), (route.StoreId, route.SubjectId));
        Assert.Empty(route.Deliveries);
    }

    [Fact]
    public void P3_ANewNameStoreJoinBringsThePatientsWholeBundleToTheStoresSite()
    {
        var route = Upsert(World.As(FakeRoutingView.Central), "name_store_join", new() { ["ID"] = "j1", ["name_ID"] = "P", ["store_ID"] = "S2" });

        Assert.Equal([(3, DeliveryKind.Record, "name_store_join", "j1"), (3, DeliveryKind.Bundle, nameof(DataClass.Patient), "P")], Deliveries(route));
    }

    [Fact]
    public void P3_AJoinThatAlreadyMadeThePatientVisibleBringsOnlyItself()
    {
        var route = Upsert(World.As(FakeRoutingView.Central), "name_store_join", new() { ["ID"] = "j1", ["name_ID"] = "P", ["store_ID"] = "S2" },
            Stored("name_store_join", "j1", store: "S2", subject: "P"));

        Assert.Equal([(3, DeliveryKind.Record, "name_store_join", "j1")], Deliveries(route));
    }

    [Fact]
    public void P4_AnInactiveOrDeletedJoinEndsVisibilityAndGoesToTheStoresSiteAlone()
    {
        var inactive = Upsert(World.As(FakeRoutingView.Central), "name_store_join",
            new() { ["ID"] = "j1", ["name_ID"] = "P", ["store_ID"] = "S2", ["inactive"] = true });
        var deleted = Delete(World.As(FakeRoutingView.Central), Stored("name_store_join", "j1", store: "S2", subject: "P"));

        Assert.Null(inactive.SubjectId);
        Assert.Equal([(3, DeliveryKind.Record, "name_store_join", "j1")], Deliveries(inactive));
        Assert.Equal([(3, DeliveryKind.Record, "name_store_join", "j1")], Deliveries(deleted));
    }

    // ---- Prescribers (§3.6) ----

    [Fact]
    public void C1_AClinicianGoesToTheSitesThatSeeItAndToItsHomeStoresSite()
    {
        var route = Upsert(World.Seen(DataClass.Prescriber, "C", 2, 4), "clinician", new() { ["ID"] = "C", ["store_ID"] = "S2", ["code"] = "DR1" });

        Assert.Equal([3, 4], route.Deliveries.Select(d => d.SiteId));
        Assert.False(route.ToChangeLog);
    }

    [Fact]
    public void C2_AClinicianStoreJoinForAnotherSitesStoreGoesThereWithItsClinician()
    {
        var route = Upsert(World, "clinician_store_join", new() { ["ID"] = "cj1", ["prescriber_ID"] = "C", ["store_ID"] = "S2" });

        Assert.Equal([(3, DeliveryKind.Record, "clinician_store_join", "cj1"), (3, DeliveryKind.Bundle, nameof(DataClass.Prescriber), "C")],
            Deliveries(route));
    }

    // ---- Barcodes, messages, central data (§4) ----

    [Fact]
    public void B1_ABarcodeFromAnySiteGoesToEverySiteThroughTheChangeLog()
    {
        var route = Upsert(World, "barcode", new() { ["ID"] = "b1", ["barcode"] = "0123", ["itemID"] = "i1" });

        Assert.True(route.IsStored);
        Assert.True(route.ToChangeLog);
        Assert.Empty(route.Deliveries);
    }

    [Theory]
    [InlineData("S2", 3)]
    [InlineData("S1", null)]
    [InlineData("SC", null)]
    [InlineData("", null)]
    [InlineData("unknown-store", null)]
    public void M1_AMessageGoesToTheSiteOfTheStoreItIsAddressedTo(string toStore, int? site)
    {
        var route = Upsert(World, "message", new() { ["ID"] = "m1", ["toStoreID"] = toStore, ["fromStoreID"] = "S1", ["body"] = "{}" });

        Assert.True(route.IsStored);
        Assert.Equal(site is { } s ? [s] : [], route.Deliveries.Select(d => d.SiteId));
    }

    [Theory]
    [InlineData("item")]
    [InlineData("store")]
    [InlineData("contact")]
    [InlineData("currency")]
    public void CentralDataIsEditedOnCentralOnlyAndGoesOutInTheChangeLog(string table)
    {
        var record = new JsonObject { ["ID"] = "c1", ["name_ID"] = "N1" };

        Assert.NotNull(Upsert(World, table, record).Rejection);
        Assert.True(Upsert(World.As(FakeRoutingView.Central), table, record).ToChangeLog);
        Assert.True(Delete(World.As(FakeRoutingView.Central), Stored(table, "c1")).ToChangeLog);
    }

    [Theory]
    [InlineData("item_store_join")]
    [InlineData("pref")]
    [InlineData("om_user_permission")]
    public void CentralStoreDataGoesToItsStoresSiteAndIsNeverPushed(string table)
    {
        var record = new JsonObject { ["ID"] = "x1", ["store_ID"] = "S2" };

        Assert.NotNull(Upsert(World, table, record).Rejection);
        Assert.Equal([(3, DeliveryKind.Record, table, "x1")], Deliveries(Upsert(World.As(FakeRoutingView.Central), table, record)));
        Assert.Equal([(3, DeliveryKind.Record, table, "x1")], Deliveries(Delete(World.As(FakeRoutingView.Central), Stored(table, "x1", store: "S2"))));
    }

    [Fact]
    public void AnUnknownTableIsKeptAndSentNowhere()
    {
        var route = Upsert(World, "some_future_table", new() { ["ID"] = "u1", ["store_ID"] = "S2" });

        Assert.True(route.IsStored);
        Assert.Empty(route.Deliveries);
    }

    [Fact]
    public void G4_ADeleteOfARecordCentralNeverHadIsIgnored() =>
        Assert.True(Router.Decide(Change.Delete(T("transact"), "never"), null, World).Ignored);

    [Fact]
    public void NothingIsEverDeliveredToThePusherOrToTheCentralSite()
    {
        var view = World.Seen(DataClass.Patient, "P", 1, 2, 3);

        var route = Upsert(view, "name", new() { ["ID"] = "P", ["type"] = "patient" });

        Assert.Equal([3], route.Deliveries.Select(d => d.SiteId));
    }
}
