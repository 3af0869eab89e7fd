using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Routing;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Records;

/// <summary>The single writer of central's records. In the caller's transaction (begun by <see cref="WritePath"/>) it
/// upserts or tombstones each routed record with a fresh sequence number and its routing columns, appends a change-log
/// row where the route says so, and queues every delivery the route names.</summary>
public sealed class RecordStore(SiteSyncDbContext db, WritePath writePath, TimeProvider time)
{
    public const int CentralSiteId = Router.CentralSiteId;

    private const string UpsertInsert =
        "INSERT INTO record (table_name, record_id, data, store_id, parent_id, to_store_id, subject_id, seq, is_deleted, source_site_id, updated_at)";

    private const string UpsertConflict = """
        ON CONFLICT (table_name, record_id) DO UPDATE SET
            data = excluded.data, store_id = excluded.store_id, parent_id = excluded.parent_id, to_store_id = excluded.to_store_id,
            subject_id = excluded.subject_id, seq = excluded.seq, is_deleted = excluded.is_deleted,
            source_site_id = excluded.source_site_id, updated_at = excluded.updated_at
        """;

    /// <summary>The upsert's column types on PostgreSQL, where its rows travel as arrays (<see cref="MultiRowWriter"/>).</summary>
    private static readonly string[] UpsertTypes =
        ["text", "text", "text", "text", "text", "text", "text", "bigint", "boolean", "integer", "timestamptz"];

    private const string ChangeLogSql = "INSERT INTO central_change_log (id, table_name, record_id, action) VALUES (@id, @table, @record, @action)";

    /// <summary>A queue entry is replaced, never updated: the new entry (new id) outlives an acknowledgement of the old one
    /// that is already in flight, and there is at most one entry per site and record (G6).</summary>
    private const string DequeueSql = "DELETE FROM sync_out WHERE site_id = @site AND table_name = @table AND record_id = @record";

    private const string EnqueueSql =
        "INSERT INTO sync_out (site_id, table_name, record_id, action, created_at) VALUES (@site, @table, @record, @action, @at)";

    private const string TombstoneSql = """
        UPDATE record SET data = NULL, is_deleted = @true, seq = @seq, source_site_id = NULL, updated_at = @at
        WHERE table_name = @table AND record_id = @id
        """;

    private const string MergeLogSql =
        "INSERT INTO central_change_log (id, table_name, record_id, action, data) VALUES (@id, @table, @record, @action, @data)";

    public Task<RecordEntity?> FindAsync(string tableName, string recordId, CancellationToken cancellationToken) =>
        db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.TableName == tableName && r.RecordId == recordId, cancellationToken);

    /// <summary>Writes the routed changes in order and queues their deliveries. <paramref name="sourceSiteId"/> is the pushing
    /// site, or null when central itself is the author.</summary>
    /// <returns>The number of change-log rows written.</returns>
    public async Task<int> WriteAsync(IReadOnlyList<RecordWrite> writes, int? sourceSiteId, CancellationToken cancellationToken)
    {
        var stored = writes.Where(w => w.Route.IsStored).ToList();
        if (stored.Count == 0)
        {
            return 0;
        }
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        var now = db.ToDbTime(time.GetUtcNow());

        // The sequence last: it serialises writers until commit (WritePath), so it is taken once the reads are done.
        var nextSeq = await writePath.ReserveAsync(Counters.RecordSeq, stored.Count, cancellationToken);
        await using (var upsert = new MultiRowWriter(db, UpsertInsert, UpsertConflict, columns: 11, keyColumns: [0, 1],
            postgresTypes: UpsertTypes))
        {
            foreach (var write in stored)
            {
                await upsert.AddAsync(cancellationToken, write.TableName, write.RecordId, write.Data, write.Route.StoreId, write.Route.ParentId,
                    write.Route.ToStoreId, write.Route.SubjectId, nextSeq++, write.Data is null, sourceSiteId, now);
            }
            await upsert.FlushAsync(cancellationToken);
        }

        foreach (var write in stored.Where(w => w.Route.RetargetLines))
        {
            await RetargetLinesAsync(write, cancellationToken);
        }
        var changeLogRows = await AppendChangeLogAsync(stored.Where(w => w.Route.ToChangeLog).ToList(), cancellationToken);
        if (changeLogRows > 0)
        {
            Diagnostics.FailPoints.Hit("changelog.after_insert_before_commit");
        }
        await DeliverAsync(stored.SelectMany(w => w.Route.Deliveries).ToList(), now, cancellationToken);
        return changeLogRows;
    }

    /// <summary>Merges <paramref name="deleteId"/> into <paramref name="keepId"/>: one change-log row with action Merge and
    /// <c>{"mergeIdToKeep","mergeIdToDelete"}</c> (sites re-point every link and drop the merged record), and the merged
    /// record becomes a tombstone on central. No separate delete goes out: a site applies deletes before merges, and the
    /// links must still point at the record when the merge re-points them.</summary>
    public async Task MergeAsync(string tableName, string keepId, string deleteId, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        var seq = await writePath.ReserveAsync(Counters.RecordSeq, 1, cancellationToken);
        await using (var tombstone = SqlCommands.Create(db, TombstoneSql))
        {
            tombstone.Add("@true", true);
            tombstone.Add("@seq", seq);
            tombstone.Add("@at", db.ToDbTime(time.GetUtcNow()));
            tombstone.Add("@table", tableName);
            tombstone.Add("@id", deleteId);
            await tombstone.ExecuteNonQueryAsync(cancellationToken);
        }
        var id = await writePath.ReserveAsync(Counters.ChangeLogId, 1, cancellationToken);
        await using var log = SqlCommands.Create(db, MergeLogSql);
        log.Add("@id", checked((int)id));
        log.Add("@table", tableName);
        log.Add("@record", keepId);
        log.Add("@action", SyncActions.Merge);
        log.Add("@data", new System.Text.Json.Nodes.JsonObject { [MergeFields.Keep] = keepId, [MergeFields.Delete] = deleteId }.ToJsonString());
        await log.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues a set of records to a site, as the initialise and store-move deliveries do: one statement per set,
    /// replacing the site's entries for those records. <paramref name="where"/> is a condition on <c>record</c> (aliased
    /// <c>r</c>), written in code, never from input; <paramref name="parameters"/> are its values; <paramref name="action"/>
    /// is null, or <c>Delete</c> to queue deletes.</summary>
    public async Task<int> EnqueueWhereAsync(int siteId, string where, IReadOnlyDictionary<string, object?> parameters, string? action,
        CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        var sql = $"""
            DELETE FROM sync_out WHERE site_id = @site AND (table_name, record_id) IN (SELECT r.table_name, r.record_id FROM record r WHERE {where});
            INSERT INTO sync_out (site_id, table_name, record_id, action, created_at)
            SELECT @site, r.table_name, r.record_id, @action, @at FROM record r WHERE {where};
            """;
        await using var command = SqlCommands.Create(db, sql);
        command.Add("@site", siteId);
        command.Add("@action", action);
        command.Add("@at", db.ToDbTime(time.GetUtcNow()));
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RetargetLinesAsync(RecordWrite header, CancellationToken cancellationToken)
    {
        var lines = LineTables(header.TableName);
        if (lines.Count == 0)
        {
            return;
        }
        await using var command = SqlCommands.Create(db,
            $"UPDATE record SET to_store_id = @to WHERE parent_id = @parent AND table_name IN ({InList(command: null, lines, "@line")})");
        command.Add("@to", header.Route.ToStoreId);
        command.Add("@parent", header.RecordId);
        InList(command, lines, "@line");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> AppendChangeLogAsync(List<RecordWrite> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return 0;
        }
        var nextId = await writePath.ReserveAsync(Counters.ChangeLogId, changes.Count, cancellationToken);
        await using var log = new RowWriter(db, ChangeLogSql, "@id", "@table", "@record", "@action");
        foreach (var write in changes)
        {
            await log.AddAsync(cancellationToken, checked((int)nextId++), write.TableName, write.RecordId,
                write.Data is null ? SyncActions.Delete : SyncActions.Update);
        }
        await log.FlushAsync(cancellationToken);
        return changes.Count;
    }

    private async Task DeliverAsync(List<Delivery> deliveries, object now, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return;
        }
        // Single records: every old entry of those records is removed first, then the new entries go in (one per site and
        // record, the last delivery named winning), each statement sent in batches.
        var records = deliveries.Where(d => d.Kind is DeliveryKind.Record or DeliveryKind.RecordAsDelete)
            .GroupBy(d => (d.SiteId, d.Table, d.Id)).Select(g => g.Last()).ToList();
        if (records.Count > 0)
        {
            await using (var remove = new RowWriter(db, DequeueSql, "@site", "@table", "@record"))
            {
                foreach (var delivery in records)
                {
                    await remove.AddAsync(cancellationToken, delivery.SiteId, delivery.Table, delivery.Id);
                }
                await remove.FlushAsync(cancellationToken);
            }
            await using var add = new RowWriter(db, EnqueueSql, "@site", "@table", "@record", "@action", "@at");
            foreach (var delivery in records)
            {
                await add.AddAsync(cancellationToken, delivery.SiteId, delivery.Table, delivery.Id,
                    delivery.Kind == DeliveryKind.RecordAsDelete ? SyncActions.Delete : null, now);
            }
            await add.FlushAsync(cancellationToken);
        }
        foreach (var delivery in deliveries.Where(d => d.Kind is not (DeliveryKind.Record or DeliveryKind.RecordAsDelete)).Distinct())
        {
            switch (delivery.Kind)
            {
                case DeliveryKind.LinesOf or DeliveryKind.LinesOfAsDelete:
                    var lines = LineTables(delivery.Table);
                    if (lines.Count > 0)
                    {
                        var parameters = new Dictionary<string, object?> { ["@parent"] = delivery.Id };
                        await EnqueueWhereAsync(delivery.SiteId, $"r.parent_id = @parent AND r.table_name IN ({InList(parameters, lines, "@line")})"
                            + (delivery.Kind == DeliveryKind.LinesOf ? " AND r.is_deleted = @false" : ""),
                            WithFalse(parameters), delivery.Kind == DeliveryKind.LinesOfAsDelete ? SyncActions.Delete : null, cancellationToken);
                    }
                    break;
                case DeliveryKind.Bundle:
                    var subjectClass = Enum.Parse<DataClass>(delivery.Table);
                    var bundle = new Dictionary<string, object?> { ["@subject"] = delivery.Id };
                    await EnqueueWhereAsync(delivery.SiteId,
                        $"r.subject_id = @subject AND r.is_deleted = @false AND r.table_name IN ({InList(bundle, SubjectTables(subjectClass), "@bundle")})",
                        WithFalse(bundle), null, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The tables whose records are about a subject of <paramref name="subjectClass"/> (patient: name, insurance joins,
    /// documents; prescriber: clinician).</summary>
    public static IReadOnlyList<string> SubjectTables(DataClass subjectClass) =>
        [.. TableCatalog.Default.OfClass(subjectClass).Select(t => t.Name).Distinct()];

    /// <summary>The line tables of a header table (<c>transact</c> → <c>trans_line</c>).</summary>
    public static IReadOnlyList<string> LineTables(string headerTable) =>
        [.. TableCatalog.Default.Tables.Where(t => t.ParentTable == headerTable).Select(t => t.Name)];

    private static Dictionary<string, object?> WithFalse(Dictionary<string, object?> parameters)
    {
        parameters["@false"] = false;
        return parameters;
    }

    /// <summary>Adds one parameter per value and returns their names, comma-separated, for an <c>IN (…)</c>.</summary>
    private static string InList(Dictionary<string, object?> parameters, IReadOnlyList<string> values, string prefix)
    {
        var names = values.Select((_, i) => $"{prefix}{i}").ToList();
        for (var i = 0; i < values.Count; i++)
        {
            parameters[names[i]] = values[i];
        }
        return string.Join(", ", names);
    }

    private static string InList(DbCommand? command, IReadOnlyList<string> values, string prefix)
    {
        var names = values.Select((_, i) => $"{prefix}{i}").ToList();
        if (command is not null)
        {
            for (var i = 0; i < values.Count; i++)
            {
                command.Add(names[i], values[i]);
            }
        }
        return string.Join(", ", names);
    }
}
