using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Routing;

/// <summary>An upgraded central whose older records lack their routing columns (stored before routing existed) fills them
/// when it migrates, so a site initialising afterwards receives the older transfers addressed to its store, and older
/// patients are found again.</summary>
public sealed class RoutingColumnsBackfillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<List<(string, string, string?, string?, string?, string?)>> ColumnsAsync(TestCentral central) =>
        central.QueryAsync(async db => (await db.Records.AsNoTracking().OrderBy(r => r.TableName).ThenBy(r => r.RecordId).ToListAsync(Ct))
            .Select(r => (r.TableName, r.RecordId, r.StoreId, r.ParentId, r.ToStoreId, r.SubjectId)).ToList());

    [Theory, ClassData(typeof(BothEngines))]
    public async Task RecordsStoredWithoutRoutingColumnsGetThemBackWhenCentralMigratesAndInitialisationDeliversThem(Engine engine)
    {
        await using var world = await RoutingWorld.StartAsync(engine, "supplier", "customer");
        var outbound = world.Invoice("OS", "supplier", world.NameOf("customer"), "ci", "fn");
        world["supplier"].Edit("transact", "OS", outbound);
        world["supplier"].Edit("trans_line", "L1", RoutingWorld.InvoiceLine("L1", "OS", 3));
        await world["supplier"].SyncAsync();
        var store = world.Stores["customer"].Id;
        world["customer"].Edit("name", "P1", RoutingWorld.Record("name", "P1", new()
        {
            ["type"] = "patient", ["first"] = "Ana", ["last"] = "Lima", ["supplying_store_id"] = store,
        }));
        world["customer"].Edit("name_store_join", "J1", RoutingWorld.Record("name_store_join", "J1", new()
        {
            ["name_ID"] = "P1", ["store_ID"] = store, ["inactive"] = false,
        }));
        await world["customer"].SyncAsync();
        var routed = await ColumnsAsync(world.Central);
        Assert.Contains(routed, r => r is ("transact", "OS", _, null, { } to, null) && to == store);

        // As stored by a release before routing: no parent, counterparty or subject, and no record of a backfill.
        await world.Central.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE record SET parent_id = NULL, to_store_id = NULL, subject_id = NULL; DELETE FROM counter WHERE name = 'routing_columns_version'", Ct));
        var before = world.Reinstall("customer");
        await before.SyncAsync();
        Assert.False(before.Records.ContainsKey(("transact", "OS"))); // what an upgraded central without the backfill would do

        world.Central.StartNode(); // a process that migrates: the upgrade
        Assert.Equal(routed, await ColumnsAsync(world.Central));

        var after = world.Reinstall("customer");
        await after.SyncAsync();
        Assert.True(JsonNode.DeepEquals(outbound, after.Records[("transact", "OS")]));
        Assert.True(after.Records.ContainsKey(("trans_line", "L1")));
        Assert.True(after.Records.ContainsKey(("name", "P1")));
        var found = await after.SendV4Async(HttpMethod.Get, "/api/v4/patient?first_name=Ana");
        Assert.Contains("\"ID\":\"P1\"", found.Body, StringComparison.Ordinal);
    }
}
