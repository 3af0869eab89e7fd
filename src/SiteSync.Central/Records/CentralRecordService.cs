using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Admin;
using SiteSync.Central.Routing;
using SiteSync.Central.Storage;
using SiteSync.Central.Stores;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Records;

/// <summary>Authoring of central data through the admin API: validated whole, then written in one transaction.</summary>
public sealed class CentralRecordService(SiteSyncDbContext db, WritePath writePath, RecordStore records)
{
    public async Task<CentralRecord?> GetAsync(string tableName, string recordId, CancellationToken cancellationToken)
    {
        if (!StorableText.IsPrintable(tableName) || !StorableText.IsPrintable(recordId))
        {
            return null; // No record can be stored under such a name.
        }
        var record = await records.FindAsync(tableName, recordId, cancellationToken);
        return record is { IsDeleted: false, Data: { } data } ? new CentralRecord(record.TableName, record.RecordId, new RawJson(data)) : null;
    }

    /// <summary>Upserts <c>{"table":[record…]}</c> as central's own edits, routed like any other change (<see cref="Router"/>):
    /// central data to every site, central-store data and visibility joins to their store's site, the store data of stores
    /// the central server holds (transfers forwarded to their counterparty), patient data to where it is visible. Anything
    /// that cannot be routed is refused before anything is written.</summary>
    public async Task<AdminResult<RecordsResult>> UpsertAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return AdminResult<RecordsResult>.Invalid("body", "Expected an object: {\"<tableName>\": [record, …], …}.");
        }
        if (StorableText.Check(body) is { } unreadable)
        {
            return AdminResult<RecordsResult>.Invalid("body", $"The body cannot be stored: {unreadable}.");
        }
        var storeSites = await db.Stores.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.SiteId, cancellationToken);
        List<(string Where, Change Change, string Data)> changes = [];
        List<StoreEntity> storeUpserts = [];
        foreach (var table in body.EnumerateObject())
        {
            var info = TableCatalog.Default[table.Name];
            if (info.Class == DataClass.Unknown)
            {
                return AdminResult<RecordsResult>.Conflict(AdminErrorCodes.NotCentralData, $"'{Truncate(table.Name)}' is not a table in the catalog.");
            }
            if (table.Value.ValueKind != JsonValueKind.Array)
            {
                return AdminResult<RecordsResult>.Invalid(table.Name, $"'{Truncate(table.Name)}' must be an array of records.");
            }
            var index = 0;
            foreach (var record in table.Value.EnumerateArray())
            {
                var where = $"{table.Name}[{index++}]";
                if (record.ValueKind != JsonValueKind.Object)
                {
                    return AdminResult<RecordsResult>.Invalid(where, $"{where} is not an object.");
                }
                if (RecordOwnership.IdOf(record) is not { } id)
                {
                    return AdminResult<RecordsResult>.Invalid(where, $"{where} needs an \"ID\": a string of 1 to {RecordOwnership.MaxIdLength} characters.");
                }
                if (table.Name == StoreRecords.StoreTable)
                {
                    if (StoreFromRecord(record, id, storeSites) is not { } store)
                    {
                        return AdminResult<RecordsResult>.Invalid(where, $"{where} needs string \"name\", \"code\" and \"name_ID\".");
                    }
                    storeUpserts.Add(store);
                    storeSites[store.Id] = store.SiteId;
                }
                changes.Add((where, Change.Upsert(RecordFacts.Read(info, id, record)), record.GetRawText()));
            }
        }

        await using var transaction = await writePath.BeginAsync([], RoutingAccess.Read, cancellationToken);
        // New stores first, so records of this request may name them.
        await UpsertStoresAsync(storeUpserts, cancellationToken);
        var state = await RoutingState.LoadAsync(db, RecordStore.CentralSiteId, [.. changes.Select(c => c.Change)], cancellationToken);
        List<RecordWrite> writes = [];
        foreach (var (where, change, data) in changes)
        {
            var route = state.Decide(change);
            if (route.Rejection is { } reason)
            {
                return route.IsInvalid
                    ? AdminResult<RecordsResult>.Invalid(where, $"{where} ('{Truncate(change.Id)}'): {reason}.")
                    : AdminResult<RecordsResult>.Conflict(AdminErrorCodes.NotCentralData, $"{where} ('{Truncate(change.Id)}'): {reason}; it is edited there.");
            }
            if (change.Table.Name == StoreRecords.StoreTable)
            {
                // The registry says where a store is active; the record follows it (rule 14).
                var store = storeUpserts.Last(s => s.Id == change.Id);
                writes.Add(StoreRecords.StoreRecord(store, data));
                continue;
            }
            writes.Add(new RecordWrite(change.Table.Name, change.Id, data, route));
        }
        var logRows = await records.WriteAsync(writes, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult<RecordsResult>.Ok(new RecordsResult(writes.Count, logRows));
    }

    /// <summary>Deletes <c>{"table":["id",…]}</c>; each delete is routed where the record went. Unknown ids are refused.</summary>
    public async Task<AdminResult<RecordsResult>> DeleteAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return AdminResult<RecordsResult>.Invalid("body", "Expected an object: {\"<tableName>\": [\"<id>\", …], …}.");
        }
        if (StorableText.Check(body) is { } unreadable)
        {
            return AdminResult<RecordsResult>.Invalid("body", $"The body cannot be stored: {unreadable}.");
        }
        List<Change> changes = [];
        List<string> storeDeletes = [];
        foreach (var table in body.EnumerateObject())
        {
            var info = TableCatalog.Default[table.Name];
            if (info.Class == DataClass.Unknown)
            {
                return AdminResult<RecordsResult>.Conflict(AdminErrorCodes.NotCentralData, $"'{Truncate(table.Name)}' is not a table in the catalog.");
            }
            if (table.Value.ValueKind != JsonValueKind.Array || table.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return AdminResult<RecordsResult>.Invalid(table.Name, $"'{Truncate(table.Name)}' must be an array of record ids.");
            }
            foreach (var id in table.Value.EnumerateArray().Select(e => e.GetString()!))
            {
                if (table.Name == StoreRecords.StoreTable)
                {
                    var store = await db.Stores.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
                    if (store is not null && store.SiteId != RecordStore.CentralSiteId)
                    {
                        return AdminResult<RecordsResult>.Conflict(AdminErrorCodes.NotCentralData,
                            $"Store '{Truncate(id)}' is active on site {store.SiteId}; move it back to the central server before deleting it.");
                    }
                    storeDeletes.Add(id);
                }
                changes.Add(Change.Delete(info, id));
            }
        }
        await using var transaction = await writePath.BeginAsync([], RoutingAccess.Read, cancellationToken);
        var state = await RoutingState.LoadAsync(db, RecordStore.CentralSiteId, changes, cancellationToken);
        List<RecordWrite> writes = [];
        foreach (var change in changes)
        {
            var route = state.Decide(change);
            if (route.Ignored)
            {
                return AdminResult<RecordsResult>.NotFound($"No {Truncate(change.Table.Name)} record with id '{Truncate(change.Id)}'.");
            }
            if (route.Rejection is { } reason)
            {
                return AdminResult<RecordsResult>.Conflict(AdminErrorCodes.NotCentralData, $"{change.Table.Name} '{Truncate(change.Id)}': {reason}; it is deleted there.");
            }
            writes.Add(new RecordWrite(change.Table.Name, change.Id, null, route));
        }
        await db.Stores.Where(s => storeDeletes.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        var logRows = await records.WriteAsync(writes, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult<RecordsResult>.Ok(new RecordsResult(writes.Count, logRows));
    }

    /// <summary>Merges records of <c>item</c>, <c>name</c> or <c>clinician</c>:
    /// <c>{"item":[{"mergeIdToKeep":"A","mergeIdToDelete":"B"}],…}</c>. Both records must exist; all or nothing.</summary>
    public async Task<AdminResult<RecordsResult>> MergeAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return AdminResult<RecordsResult>.Invalid("body", $"Expected {{\"<tableName>\": [{{\"{MergeFields.Keep}\": …, \"{MergeFields.Delete}\": …}}, …]}}.");
        }
        if (StorableText.Check(body) is { } unreadable)
        {
            return AdminResult<RecordsResult>.Invalid("body", $"The body cannot be stored: {unreadable}.");
        }
        List<(string Table, string Keep, string Delete)> merges = [];
        foreach (var table in body.EnumerateObject())
        {
            if (!TableCatalog.Default[table.Name].IsMergeable)
            {
                return AdminResult<RecordsResult>.Conflict(AdminErrorCodes.NotCentralData,
                    $"'{Truncate(table.Name)}' records cannot be merged (only item, name and clinician).");
            }
            if (table.Value.ValueKind != JsonValueKind.Array)
            {
                return AdminResult<RecordsResult>.Invalid(table.Name, $"'{Truncate(table.Name)}' must be an array of merges.");
            }
            var index = 0;
            foreach (var merge in table.Value.EnumerateArray())
            {
                var where = $"{table.Name}[{index++}]";
                var (keep, delete) = (TextOf(merge, MergeFields.Keep), TextOf(merge, MergeFields.Delete));
                if (string.IsNullOrEmpty(keep) || string.IsNullOrEmpty(delete) || keep == delete)
                {
                    return AdminResult<RecordsResult>.Invalid(where, $"{where} needs two different ids: {MergeFields.Keep} and {MergeFields.Delete}.");
                }
                foreach (var id in new[] { keep, delete })
                {
                    if (await records.FindAsync(table.Name, id, cancellationToken) is not { IsDeleted: false })
                    {
                        return AdminResult<RecordsResult>.NotFound($"{where}: no {table.Name} record with id '{Truncate(id)}'.");
                    }
                }
                merges.Add((table.Name, keep, delete));
            }
        }
        await using var transaction = await writePath.BeginAsync([], RoutingAccess.Read, cancellationToken);
        foreach (var (table, keep, delete) in merges)
        {
            await records.MergeAsync(table, keep, delete, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return AdminResult<RecordsResult>.Ok(new RecordsResult(merges.Count, merges.Count));
    }

    private static string? TextOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A <c>store</c> record keeps the registry in step; where the store is active stays the registry's call.</summary>
    private static StoreEntity? StoreFromRecord(JsonElement record, string id, Dictionary<string, int> storeSites)
    {
        var (name, code, nameId) = (TextOf(record, "name"), TextOf(record, "code"), TextOf(record, LegacyFields.NameId));
        if (name is null || code is null || nameId is null)
        {
            return null;
        }
        return new StoreEntity
        {
            Id = id,
            Name = name,
            Code = code,
            NameId = nameId,
            SiteId = storeSites.TryGetValue(id, out var siteId) ? siteId : RecordStore.CentralSiteId,
        };
    }

    private async Task UpsertStoresAsync(List<StoreEntity> stores, CancellationToken cancellationToken)
    {
        foreach (var store in stores)
        {
            var existing = await db.Stores.FirstOrDefaultAsync(s => s.Id == store.Id, cancellationToken);
            if (existing is null)
            {
                db.Stores.Add(store);
            }
            else
            {
                existing.Name = store.Name;
                existing.Code = store.Code;
                existing.NameId = store.NameId;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Truncate(string text) => StorableText.ForDisplay(text, 100);
}
