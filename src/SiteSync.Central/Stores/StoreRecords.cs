using System.Text.Json.Nodes;
using SiteSync.Central.Records;

namespace SiteSync.Central.Stores;

/// <summary>Keeps a store's legacy <c>store</c> record (and its <c>name</c>) in step with the store registry: the client
/// treats a store as active where <c>sync_id_remote_site</c> says (reference §4.3).</summary>
public static class StoreRecords
{
    public const string StoreTable = "store";
    public const string NameTable = "name";

    /// <summary>The store record for the registry entry, keeping every field an existing record has.</summary>
    public static RecordWrite StoreRecord(StoreEntity store, string? existingData)
    {
        var record = (existingData is null ? null : JsonNode.Parse(existingData) as JsonObject) ?? new JsonObject
        {
            ["store_mode"] = "store",
            ["disabled"] = false,
            ["IS_HIS"] = false,
        };
        record["ID"] = store.Id;
        record["code"] = store.Code;
        record["name"] = store.Name;
        record["name_ID"] = store.NameId;
        record["sync_id_remote_site"] = store.SiteId;
        return new RecordWrite(StoreTable, store.Id, record.ToJsonString(), null);
    }

    /// <summary>The facility name record a new store is known by.</summary>
    public static RecordWrite NameRecord(StoreEntity store) => new(NameTable, store.NameId, new JsonObject
    {
        ["ID"] = store.NameId,
        ["name"] = store.Name,
        ["code"] = store.Code,
        ["type"] = "store",
        ["customer"] = true,
        ["supplier"] = true,
    }.ToJsonString(), null);
}
