using System.Text.Json.Nodes;
using SiteSync.Protocol.Admin;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Routing;

/// <summary>Remote sites that speak like the Open mSupply client, each with one store, on one central (routing.md §2.6
/// set-up): records are shaped like the legacy JSON of Open mSupply's own sync tests.</summary>
public sealed class RoutingWorld : IAsyncDisposable
{
    private static readonly JsonObject Fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy-records.json")))!.AsObject();
    private readonly Dictionary<string, OmsTestClient> _clients = [];

    private RoutingWorld(TestCentral central) => Central = central;

    public TestCentral Central { get; }

    public Dictionary<string, StoreInfo> Stores { get; } = [];

    public Dictionary<string, Site> Sites { get; } = [];

    /// <summary>A central with one site per name, each holding a store of the same code, every site synced once.</summary>
    public static async Task<RoutingWorld> StartAsync(Engine engine, params string[] sites)
    {
        var world = new RoutingWorld(await TestCentral.StartAsync(engine));
        foreach (var site in sites)
        {
            var (store, created) = await SyncScenario.SiteWithStoreAsync(world.Central, site, site.ToUpperInvariant());
            world.Stores[site] = store;
            world.Sites[site] = created;
        }
        foreach (var site in sites)
        {
            await world[site].SyncAsync();
        }
        return world;
    }

    /// <summary>The site's client (one device per site, as in real life).</summary>
    public OmsTestClient this[string site] =>
        _clients.TryGetValue(site, out var client) ? client : _clients[site] = SyncScenario.Client(Central, site, $"hw-{site}");

    /// <summary>The site's device is wiped and set up again with the same credentials: its next sync initialises.</summary>
    public OmsTestClient Reinstall(string site)
    {
        _clients[site].Dispose();
        return _clients[site] = SyncScenario.Client(Central, site, $"hw-{site}");
    }

    /// <summary>Syncs the sites in order (Open mSupply's <c>sync_and_delay</c> without the delay).</summary>
    public async Task SyncAsync(params string[] sites)
    {
        foreach (var site in sites)
        {
            await this[site].SyncAsync();
        }
    }

    /// <summary>A legacy <c>transact</c> of <paramref name="store"/>'s site, addressed to <paramref name="nameId"/>.</summary>
    public JsonObject Invoice(string id, string store, string nameId, string type, string status, string? requisitionId = null) =>
        Record("transact", id, new() { ["store_ID"] = Stores[store].Id, ["name_ID"] = nameId, ["type"] = type, ["status"] = status,
            ["mode"] = "store", ["requisition_ID"] = requisitionId ?? "", ["om_status"] = status == "fn" ? "SHIPPED" : "PICKED" });

    public static JsonObject InvoiceLine(string id, string invoiceId, int packs) =>
        Record("trans_line", id, new() { ["transaction_ID"] = invoiceId, ["quantity"] = packs, ["item_ID"] = "item-a" });

    public JsonObject Requisition(string id, string store, string nameId, string type, string status) =>
        Record("requisition", id, new() { ["store_ID"] = Stores[store].Id, ["name_ID"] = nameId, ["type"] = type, ["status"] = status });

    public static JsonObject RequisitionLine(string id, string requisitionId) =>
        Record("requisition_line", id, new() { ["requisition_ID"] = requisitionId, ["item_ID"] = "item-a", ["actualQuan"] = 10 });

    /// <summary>The store's name id: what a transfer to that store names as its other party.</summary>
    public string NameOf(string store) => Stores[store].NameId;

    /// <summary>A record of the fixture's table with new id and fields (every other field of a real record kept).</summary>
    public static JsonObject Record(string table, string id, JsonObject fields)
    {
        var record = Fixture[table] is JsonArray { Count: > 0 } rows ? rows[0]!.DeepClone().AsObject() : [];
        record["ID"] = id;
        foreach (var (key, value) in fields)
        {
            record[key] = value?.DeepClone();
        }
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        await Central.DisposeAsync();
    }
}
