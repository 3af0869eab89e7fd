using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiteSync.Central.Records;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Stores;

/// <summary>Keeps a store's legacy <c>store</c> record (and its <c>name</c>) in step with the store registry: the client
/// treats a store as active where <c>sync_id_remote_site</c> says (reference §4.3).</summary>
public static class StoreRecords
{
    public const string StoreTable = "store";
    public const string NameTable = "name";

    /// <summary>The store record for the registry entry, keeping every field an existing record has.</summary>
    /// <remarks>G1: a record that already says what the registry says is kept exactly as it arrived. Otherwise only the
    /// registry's fields are set, and the rest is written without re-escaping (a backtick stays a backtick).</remarks>
    public static RecordWrite StoreRecord(StoreEntity store, string? existingData)
    {
        var existing = existingData is null ? null : JsonNode.Parse(existingData) as JsonObject;
        if (existing is not null && Says(existing, LegacyFields.Id, store.Id) && Says(existing, "code", store.Code) && Says(existing, "name", store.Name)
            && Says(existing, LegacyFields.NameId, store.NameId) && existing[LegacyFields.SyncIdRemoteSite] is JsonValue site
            && site.TryGetValue<int>(out var siteId) && siteId == store.SiteId)
        {
            return RecordWrite.CentralData(StoreTable, store.Id, existingData);
        }
        var record = existing ?? new JsonObject
        {
            ["store_mode"] = "store",
            ["disabled"] = false,
            ["IS_HIS"] = false,
        };
        record[LegacyFields.Id] = store.Id;
        record["code"] = store.Code;
        record["name"] = store.Name;
        record[LegacyFields.NameId] = store.NameId;
        record[LegacyFields.SyncIdRemoteSite] = store.SiteId;
        return RecordWrite.CentralData(StoreTable, store.Id, record.ToJsonString(Unescaped));
    }

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static bool Says(JsonObject record, string field, string value) =>
        record[field] is JsonValue text && text.TryGetValue<string>(out var actual) && actual == value;

    /// <summary>The facility name record a new store is known by.</summary>
    public static RecordWrite NameRecord(StoreEntity store) => RecordWrite.CentralData(NameTable, store.NameId, new JsonObject
    {
        [LegacyFields.Id] = store.NameId,
        ["name"] = store.Name,
        ["code"] = store.Code,
        ["type"] = "store",
        ["customer"] = true,
        ["supplier"] = true,
    }.ToJsonString(Unescaped));
}
