using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Records;

/// <summary>The single writer of central's records. In the caller's transaction it upserts (or tombstones) each record with
/// a fresh sequence number, appends one change-log row per change of central data, and queues each change of
/// central-store data to the site where its store is active.</summary>
public sealed class RecordStore(SiteSyncDbContext db, TimeProvider time)
{
    public const int CentralSiteId = 1;

    private const string UpsertSql = """
        INSERT INTO record (table_name, record_id, data, store_id, seq, is_deleted, source_site_id, updated_at)
        VALUES (@table, @id, @data, @store, @seq, @deleted, @source, @at)
        ON CONFLICT (table_name, record_id) DO UPDATE SET
            data = excluded.data, store_id = excluded.store_id, seq = excluded.seq, is_deleted = excluded.is_deleted,
            source_site_id = excluded.source_site_id, updated_at = excluded.updated_at
        """;

    private const string ChangeLogSql = "INSERT INTO central_change_log (id, table_name, record_id, action) VALUES (@id, @table, @record, @action)";

    /// <summary>Replaces any queue entry of the record for the site, so the new entry (new id) outlives an acknowledgement
    /// of the old one that is already in flight.</summary>
    private const string EnqueueSql = """
        DELETE FROM sync_out WHERE site_id = @site AND table_name = @table AND record_id = @record;
        INSERT INTO sync_out (site_id, table_name, record_id, created_at) VALUES (@site, @table, @record, @at);
        """;

    private const string TombstoneSql = """
        UPDATE record SET data = NULL, is_deleted = @true, seq = @seq, source_site_id = NULL, updated_at = @at
        WHERE table_name = @table AND record_id = @id
        """;

    private const string MergeLogSql =
        "INSERT INTO central_change_log (id, table_name, record_id, action, data) VALUES (@id, @table, @record, @action, @data)";

    /// <summary>The owning store of a live record (a line's parent), or null when central does not have it.</summary>
    public Task<string?> StoreOfAsync(string tableName, string recordId, CancellationToken cancellationToken) =>
        db.Records.AsNoTracking().Where(r => r.TableName == tableName && r.RecordId == recordId && !r.IsDeleted)
            .Select(r => r.StoreId).FirstOrDefaultAsync(cancellationToken);

    public Task<RecordEntity?> FindAsync(string tableName, string recordId, CancellationToken cancellationToken) =>
        db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.TableName == tableName && r.RecordId == recordId, cancellationToken);

    /// <summary>Writes the changes in order. <paramref name="sourceSiteId"/> is the pushing site (never sent its own
    /// changes back), or null when central itself is the author.</summary>
    /// <returns>The number of change-log rows written.</returns>
    public async Task<int> WriteAsync(IReadOnlyList<RecordWrite> writes, int? sourceSiteId, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return 0;
        }
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        var now = db.ToDbTime(time.GetUtcNow());
        var catalog = TableCatalog.Default;

        var storeSites = await StoreSitesAsync(writes, cancellationToken);
        var centralChanges = writes.Count(w => catalog[w.TableName].Class == DataClass.Central);

        await using var upsert = SqlCommands.Create(db, UpsertSql);
        var table = upsert.Add("@table", null);
        var id = upsert.Add("@id", null);
        var data = upsert.Add("@data", null);
        var store = upsert.Add("@store", null);
        var seq = upsert.Add("@seq", null);
        var deleted = upsert.Add("@deleted", null);
        upsert.Add("@source", sourceSiteId);
        upsert.Add("@at", now);

        await using var enqueue = SqlCommands.Create(db, EnqueueSql);
        var queueSite = enqueue.Add("@site", null);
        var queueTable = enqueue.Add("@table", null);
        var queueRecord = enqueue.Add("@record", null);
        enqueue.Add("@at", now);

        // Counters last-but-one: they serialise writers until commit, so take them only once the reads are done.
        var nextSeq = await Counters.ReserveAsync(db, Counters.RecordSeq, writes.Count, cancellationToken);
        foreach (var write in writes)
        {
            table.Value = write.TableName;
            id.Value = write.RecordId;
            data.Value = (object?)write.Data ?? DBNull.Value;
            store.Value = (object?)write.StoreId ?? DBNull.Value;
            seq.Value = nextSeq++;
            deleted.Value = write.Data is null;
            await upsert.ExecuteNonQueryAsync(cancellationToken);

            if (catalog[write.TableName].Class == DataClass.CentralStore
                && write.StoreId is not null
                && storeSites.TryGetValue(write.StoreId, out var siteId)
                && siteId != CentralSiteId
                && siteId != sourceSiteId)
            {
                queueSite.Value = siteId;
                queueTable.Value = write.TableName;
                queueRecord.Value = write.RecordId;
                await enqueue.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (centralChanges > 0)
        {
            await using var log = SqlCommands.Create(db, ChangeLogSql);
            var logId = log.Add("@id", null);
            var logTable = log.Add("@table", null);
            var logRecord = log.Add("@record", null);
            var logAction = log.Add("@action", null);
            var nextId = await Counters.ReserveAsync(db, Counters.ChangeLogId, centralChanges, cancellationToken);
            foreach (var write in writes.Where(w => catalog[w.TableName].Class == DataClass.Central))
            {
                logId.Value = checked((int)nextId++);
                logTable.Value = write.TableName;
                logRecord.Value = write.RecordId;
                logAction.Value = write.Data is null ? Protocol.Sync.SyncActions.Delete : Protocol.Sync.SyncActions.Update;
                await log.ExecuteNonQueryAsync(cancellationToken);
            }
            Diagnostics.FailPoints.Hit("changelog.after_insert_before_commit");
        }
        return centralChanges;
    }

    /// <summary>Merges <paramref name="deleteId"/> into <paramref name="keepId"/>: one change-log row with action Merge and
    /// <c>{"mergeIdToKeep","mergeIdToDelete"}</c> (sites re-point every link and drop the merged record), and the merged
    /// record becomes a tombstone on central. No separate delete goes out: a site applies deletes before merges, and the
    /// links must still point at the record when the merge re-points them.</summary>
    public async Task MergeAsync(string tableName, string keepId, string deleteId, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        var seq = await Counters.ReserveAsync(db, Counters.RecordSeq, 1, cancellationToken);
        await using (var tombstone = SqlCommands.Create(db, TombstoneSql))
        {
            tombstone.Add("@true", true);
            tombstone.Add("@seq", seq);
            tombstone.Add("@at", db.ToDbTime(time.GetUtcNow()));
            tombstone.Add("@table", tableName);
            tombstone.Add("@id", deleteId);
            await tombstone.ExecuteNonQueryAsync(cancellationToken);
        }
        var id = await Counters.ReserveAsync(db, Counters.ChangeLogId, 1, cancellationToken);
        await using var log = SqlCommands.Create(db, MergeLogSql);
        log.Add("@id", checked((int)id));
        log.Add("@table", tableName);
        log.Add("@record", keepId);
        log.Add("@action", Protocol.Sync.SyncActions.Merge);
        log.Add("@data", new System.Text.Json.Nodes.JsonObject { ["mergeIdToKeep"] = keepId, ["mergeIdToDelete"] = deleteId }.ToJsonString());
        await log.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<Dictionary<string, int>> StoreSitesAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken)
    {
        var storeIds = writes.Where(w => w.StoreId is not null).Select(w => w.StoreId!).Distinct().ToList();
        if (storeIds.Count == 0)
        {
            return [];
        }
        return await db.Stores.AsNoTracking().Where(s => storeIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.SiteId, cancellationToken);
    }
}
