using System.Text;
using System.Text.Json.Nodes;
using SiteSync.Protocol.Admin;

namespace SiteSync.Testing;

/// <summary>Builders for the data a sync test needs, written through the admin API like an administrator would.</summary>
public static class SyncScenario
{
    public const string SitePassword = "site-password";

    /// <summary>A store and a remote site it is active on.</summary>
    public static async Task<(StoreInfo Store, Site Site)> SiteWithStoreAsync(TestCentral central, string siteName, string storeCode)
    {
        var store = await central.Admin.CreateStoreAsync(storeCode, $"Store {storeCode}");
        var site = await central.Admin.CreateSiteAsync(siteName, SitePassword, storeIds: [store.Id]);
        return (store, site);
    }

    public static OmsTestClient Client(TestCentral central, string siteName, string hardwareId = "0123456789abcdef0123456789abcdef") =>
        new(central.BaseAddress, siteName, SitePassword, hardwareId);

    /// <summary>Upserts <paramref name="count"/> items (central data) in one request.</summary>
    public static async Task AddItemsAsync(TestCentral central, int count, string prefix = "item")
    {
        var items = new StringBuilder("{\"item\":[");
        for (var i = 0; i < count; i++)
        {
            items.Append(i == 0 ? "" : ",").Append(new JsonObject
            {
                ["ID"] = $"{prefix}-{i:D6}",
                ["code"] = $"C{i}",
                ["item_name"] = $"Item {i}",
                ["type_of"] = "general",
            }.ToJsonString());
        }
        await central.Admin.UpsertRecordsAsync(items.Append("]}").ToString());
    }

    public static JsonObject Transaction(string id, string storeId) => new()
    {
        ["ID"] = id,
        ["type"] = "ci",
        ["status"] = "nw",
        ["store_ID"] = storeId,
        ["name_ID"] = "some-name",
        ["invoice_num"] = 1,
    };

    public static JsonObject Line(string id, string transactionId) => new()
    {
        ["ID"] = id,
        ["transaction_ID"] = transactionId,
        ["item_ID"] = "item-000001",
        ["quantity"] = 3,
    };
}
