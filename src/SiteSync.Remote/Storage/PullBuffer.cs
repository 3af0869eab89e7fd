using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Diagnostics;
using SiteSync.Remote.Settings;
using SiteSync.Remote.Sync;

namespace SiteSync.Remote.Storage;

/// <summary>Where a buffered record came from.</summary>
internal static class BufferSources
{
    /// <summary>Central's change log.</summary>
    public const string Central = "central";

    /// <summary>The site's queue.</summary>
    public const string Queue = "queue";
}

/// <summary>The pull buffer and its integrator: pulled records wait in <c>incoming</c> until both pulls have drained, then
/// are applied in one transaction. Each public method is one short transaction.</summary>
internal sealed class PullBuffer(LocalDatabase database)
{
    /// <summary>Stores pulled records in the incoming buffer, and the new cursor with them in the same transaction.</summary>
    /// <remarks>One statement prepared on the connection's own SQLite handle, its parameters bound by position and each record's
    /// JSON bound as the UTF-8 bytes central sent, as TEXT (issue 10: the ADO command looked each parameter up by name and
    /// converted each record's string back to UTF-8 on every row). It runs in the transaction begun on the same connection.</remarks>
    public async Task BufferAsync(
        IReadOnlyList<IncomingRecord> records, string source, (string Name, long Value)? cursor, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        InsertAll(write.Connection, records, source, cancellationToken);

        if (cursor is var (name, value))
        {
            await using var command = SettingsStore.CursorCommand(write, name, value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
    }

    private static void InsertAll(SqliteConnection connection, IReadOnlyList<IncomingRecord> records, string source, CancellationToken cancellationToken)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(db, LocalSql.BufferIncoming, out var statement), db);
        using (statement)
        {
            var (table, id, action, data) = (Index(statement, "$table"), Index(statement, "$id"), Index(statement, "$action"), Index(statement, "$data"));
            Check(raw.sqlite3_bind_text(statement, Index(statement, "$source"), source), db);
            for (var i = 0; i < records.Count; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var record = records[i];
                Check(raw.sqlite3_bind_text(statement, table, record.TableName), db);
                Check(raw.sqlite3_bind_text(statement, id, record.BufferKey), db);
                Check(raw.sqlite3_bind_text(statement, action, record.Action), db);
                Check(record.Data is { } bytes ? raw.sqlite3_bind_text(statement, data, bytes.Span) : raw.sqlite3_bind_null(statement, data), db);
                var step = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (step != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(step, db);
                    throw new InvalidOperationException($"Buffering a record returned SQLite code {step}.");
                }
            }
        }
    }

    private static int Index(sqlite3_stmt statement, string name) =>
        raw.sqlite3_bind_parameter_index(statement, name) is var index and > 0
            ? index
            : throw new InvalidOperationException($"The buffer statement has no parameter {name}.");

    private static void Check(int code, sqlite3 db)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, db);
        }
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var read = await LocalConnection.OpenReadAsync(database, cancellationToken);
        await using var command = read.Command(LocalSql.CountIncoming);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the whole buffer in one transaction: upserts in dependency order (a copy identical to the one held is
    /// not written again), deletes in reverse order, then merges;
    /// marks unpushed local edits of the same records as superseded (central's copy wins and is never pushed back); empties the
    /// buffer; and recomputes the active stores.</summary>
    /// <remarks>Upserts and deletes are one statement per table that moves the buffered rows inside SQLite (the owning store
    /// read with <c>json_extract</c>, a line's from its parent row, upserted earlier in the same transaction when it came in
    /// the same pull), so memory does not grow with the buffer and no record crosses into .NET; the supersede is one statement
    /// over the unpushed change-log rows. Only merges (rare, a handful of rows) are read and applied one by one.</remarks>
    public async Task<IntegrationResult> IntegrateAsync(TableCatalog catalog, int? siteId, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        var pushCursor = await SettingsStore.ReadCursorAsync(write, CursorNames.Push, cancellationToken);

        var groups = new List<(string Table, string Action, int Count, TableInfo Info)>();
        await using (var count = write.Command(LocalSql.IncomingGroups))
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = reader.GetString(0);
                groups.Add((table, reader.GetString(1), reader.GetInt32(2), catalog[table]));
            }
        }

        var result = new IntegrationResult();
        foreach (var (table, _, rows, info) in groups.Where(g => g.Action == SyncActions.Update)
                     .OrderBy(g => g.Info.Order).ThenBy(g => g.Table, StringComparer.Ordinal))
        {
            await using var upsert = write.Command(LocalSql.IntegrateUpserts(StoreOf(info)))
                .With("$table", table).With("$action", SyncActions.Update);
            if (info.StoreField is null && info.ParentTable is not null)
            {
                upsert.With("$parentTable", info.ParentTable);
            }

            await upsert.ExecuteNonQueryAsync(cancellationToken);
            result.Upserted += rows;
            if (info.Class == DataClass.Unknown)
            {
                result.UnknownTables.Add(table);
            }
        }

        foreach (var (table, _, rows, _) in groups.Where(g => g.Action == SyncActions.Delete).OrderByDescending(g => g.Info.Order))
        {
            await using var delete = write.Command(LocalSql.IntegrateDeletes).With("$table", table).With("$action", SyncActions.Delete);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            result.Deleted += rows;
        }

        await using (var supersedeAll = write.Command(LocalSql.SupersedeIncoming)
            .With("$cursor", pushCursor).With("$update", SyncActions.Update).With("$delete", SyncActions.Delete))
        {
            await supersedeAll.ExecuteNonQueryAsync(cancellationToken);
        }

        if (groups.Any(g => g.Action == SyncActions.Merge))
        {
            result.Merged = await MergeAllAsync(write, catalog, pushCursor, cancellationToken);
        }

        FailPoints.Hit("integrate.mid_tx");
        await using (var clear = write.Command(LocalSql.ClearIncoming))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        var stores = await ActiveStoresAsync(write, siteId, cancellationToken);
        await SettingsStore.WriteAsync(write, SettingKeys.ActiveStoreIds, StoredSettings.Text(stores), cancellationToken);
        result.ActiveStoreIds = stores;

        await write.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The SQL expression of a buffered row's owning store (<c>i</c> is the <c>incoming</c> row): its store field when the
    /// table has one, else the parent record's store, else null — a field counts only when it is a JSON string.</summary>
    internal static string StoreOf(TableInfo info)
    {
        if (info.StoreField is { } storeField)
        {
            return LocalSql.StringField("i.data", storeField);
        }

        return info.ParentTable is null
            ? "NULL"
            : $"(SELECT p.store_id FROM records p WHERE p.table_name = $parentTable AND p.record_id = {LocalSql.StringField("i.data", info.ParentField!)})";
    }

    /// <summary>Applies the buffered merges in the order they were buffered.</summary>
    private static async Task<int> MergeAllAsync(LocalConnection write, TableCatalog catalog, long pushCursor, CancellationToken cancellationToken)
    {
        var merges = new List<(string Table, string? Data)>();
        await using (var select = write.Command(LocalSql.IncomingMerges).With("$action", SyncActions.Merge))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                merges.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        await using var delete = write.Command(LocalSql.DeleteRecord).With("$table", "").With("$id", "");
        await using var supersede = write.Command(LocalSql.SupersedeUnpushed).With("$table", "").With("$id", "").With("$cursor", pushCursor);
        foreach (var (table, data) in merges)
        {
            await MergeAsync(write, table, data, catalog[table], delete, supersede, cancellationToken);
        }

        return merges.Count;
    }

    private static async Task MergeAsync(
        LocalConnection write, string tableName, string? data, TableInfo info, SqliteCommand delete, SqliteCommand supersede,
        CancellationToken cancellationToken)
    {
        if (data is null)
        {
            return;
        }

        using var document = JsonDocument.Parse(data);
        if (JsonFields.StringField(document.RootElement, MergeFields.Keep) is not { } keep
            || JsonFields.StringField(document.RootElement, MergeFields.Delete) is not { } remove
            || string.Equals(keep, remove, StringComparison.Ordinal))
        {
            return;
        }

        // Links are re-pointed before the merged record goes, so no record points at a missing one at any commit.
        foreach (var field in info.MergeLinks)
        {
            await using var repoint = write.Command(LocalSql.RepointLink).With("$path", "$." + field).With("$keep", keep).With("$remove", remove);
            await repoint.ExecuteNonQueryAsync(cancellationToken);
        }

        await delete.Set("$table", tableName).Set("$id", remove).ExecuteNonQueryAsync(cancellationToken);
        await supersede.Set("$table", tableName).Set("$id", remove).ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<string>> ActiveStoresAsync(LocalConnection write, int? siteId, CancellationToken cancellationToken)
    {
        var stores = new List<string>();
        if (siteId is null)
        {
            return stores;
        }

        await using var command = write.Command(LocalSql.StoreRecords);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var document = JsonDocument.Parse(reader.GetString(1));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(LegacyFields.SyncIdRemoteSite, out var site)
                && IsSite(site, siteId.Value))
            {
                stores.Add(reader.GetString(0));
            }
        }

        return stores;
    }

    private static bool IsSite(JsonElement value, int siteId) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt32(out var number) && number == siteId,
        JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number == siteId,
        _ => false,
    };
}

/// <summary>A pulled record as buffered: merges are keyed by the record they remove, so a re-delivered merge overwrites itself.</summary>
internal sealed record IncomingRecord(string TableName, string BufferKey, string Action, RecordBytes? Data);

/// <summary>What one integration applied.</summary>
internal sealed class IntegrationResult
{
    public int Upserted { get; set; }
    public int Deleted { get; set; }
    public int Merged { get; set; }
    public HashSet<string> UnknownTables { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<string> ActiveStoreIds { get; set; } = [];
    public int Total => Upserted + Deleted + Merged;
}
