using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Diagnostics;
using SiteSync.Remote.Settings;
using SiteSync.Remote.Sync;

namespace SiteSync.Remote.Storage;

/// <summary>Every read and write of the site's database. Each public method is one short transaction.</summary>
/// <remarks>Schema and simple reads go through EF Core; the per-record statements of buffering, integration and local edits
/// are prepared <see cref="SqliteCommand"/>s on the same connection, because they run once per record.</remarks>
internal sealed class LocalStore(LocalDatabase database, TimeProvider time)
{
    public const string CentralPullCursor = "central_pull";
    public const string PushCursor = "push";
    public const string SourceCentral = "central";
    public const string SourceQueue = "queue";

    public LocalDatabase Database => database;

    // ---- settings ----

    public async Task<Dictionary<string, string>> ReadSettingsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, StringComparer.Ordinal, cancellationToken);
    }

    public async Task WriteSettingsAsync(IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var sqliteTransaction = (SqliteTransaction)transaction.GetDbTransaction();
        foreach (var (key, value) in values)
        {
            await WriteSettingAsync(connection, sqliteTransaction, key, value, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WriteSettingAsync(
        SqliteConnection connection, SqliteTransaction transaction, string key, string? value, CancellationToken cancellationToken)
    {
        await using var command = value is null
            ? connection.Command(transaction, "DELETE FROM settings WHERE key = $key").With("$key", key)
            : connection.Command(transaction, "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .With("$key", key).With("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- cursors ----

    public async Task<long> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Cursors.AsNoTracking().Where(c => c.Name == name).Select(c => c.Value).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task WriteCursorAsync(string name, long value, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var command = CursorCommand(connection, null, name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand CursorCommand(SqliteConnection connection, SqliteTransaction? transaction, string name, long value) =>
        connection.Command(transaction, "INSERT INTO cursors (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            .With("$name", name).With("$value", value);

    // ---- pull buffer ----

    /// <summary>Stores pulled records in the incoming buffer, and the new cursor with them in the same transaction.</summary>
    public async Task BufferAsync(
        IReadOnlyList<IncomingRecord> records, string source, (string Name, long Value)? cursor, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var sqliteTransaction = (SqliteTransaction)transaction.GetDbTransaction();

        await using var insert = connection.Command(
            sqliteTransaction,
            """
            INSERT INTO incoming (table_name, record_id, action, data, source) VALUES ($table, $id, $action, $data, $source)
            ON CONFLICT (table_name, record_id) DO UPDATE SET action = excluded.action, data = excluded.data, source = excluded.source
            """)
            .With("$table", "").With("$id", "").With("$action", "").With("$data", null).With("$source", source);
        insert.Prepare();
        foreach (var record in records)
        {
            insert.Set("$table", record.TableName).Set("$id", record.BufferKey).Set("$action", record.Action).Set("$data", record.Data);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (cursor is var (name, value))
        {
            await using var command = CursorCommand(connection, sqliteTransaction, name, value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> CountIncomingAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Incoming.CountAsync(cancellationToken);
    }

    // ---- integration ----

    /// <summary>Applies the whole buffer in one transaction: upserts in dependency order (a copy identical to the one held, as
    /// central sends again after a re-initialisation or a restore, is not written again), deletes in reverse order, then merges;
    /// marks unpushed local edits of the same records as superseded (central's copy wins and is never pushed back); empties the
    /// buffer; and recomputes the active stores.</summary>
    public async Task<IntegrationResult> IntegrateAsync(TableCatalog catalog, int? siteId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var tx = (SqliteTransaction)transaction.GetDbTransaction();

        var incoming = await db.Incoming.AsNoTracking().ToListAsync(cancellationToken);
        var pushCursor = await db.Cursors.AsNoTracking().Where(c => c.Name == PushCursor).Select(c => c.Value).FirstOrDefaultAsync(cancellationToken);

        await using var upsert = connection.Command(
            tx,
            """
            INSERT INTO records (table_name, record_id, data, store_id) VALUES ($table, $id, $data, $store)
            ON CONFLICT (table_name, record_id) DO UPDATE SET data = excluded.data, store_id = excluded.store_id
            WHERE records.data IS NOT excluded.data OR records.store_id IS NOT excluded.store_id
            """)
            .With("$table", "").With("$id", "").With("$data", "").With("$store", null);
        await using var delete = connection.Command(tx, "DELETE FROM records WHERE table_name = $table AND record_id = $id")
            .With("$table", "").With("$id", "");
        await using var supersede = connection.Command(
            tx,
            "UPDATE change_log SET is_superseded = 1 WHERE table_name = $table AND record_id = $id AND id > $cursor AND is_superseded = 0")
            .With("$table", "").With("$id", "").With("$cursor", pushCursor);
        await using var parentStore = connection.Command(tx, "SELECT store_id FROM records WHERE table_name = $table AND record_id = $id")
            .With("$table", "").With("$id", "");

        var ordered = incoming
            .Select(row => (Row: row, Info: catalog[row.TableName]))
            .ToList();
        var upserts = ordered.Where(r => r.Row.Action == SyncActions.Update).OrderBy(r => r.Info.Order).ThenBy(r => r.Row.TableName, StringComparer.Ordinal);
        var deletes = ordered.Where(r => r.Row.Action == SyncActions.Delete).OrderByDescending(r => r.Info.Order);
        var merges = ordered.Where(r => r.Row.Action == SyncActions.Merge);

        var result = new IntegrationResult();
        foreach (var (row, info) in upserts)
        {
            var storeId = await OwningStoreAsync(info, row.Data!, parentStore, cancellationToken);
            upsert.Set("$table", row.TableName).Set("$id", row.RecordId).Set("$data", row.Data).Set("$store", storeId);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            await supersede.Set("$table", row.TableName).Set("$id", row.RecordId).ExecuteNonQueryAsync(cancellationToken);
            result.Upserted++;
            if (info.Class == DataClass.Unknown)
            {
                result.UnknownTables.Add(row.TableName);
            }
        }

        foreach (var (row, _) in deletes)
        {
            await delete.Set("$table", row.TableName).Set("$id", row.RecordId).ExecuteNonQueryAsync(cancellationToken);
            await supersede.Set("$table", row.TableName).Set("$id", row.RecordId).ExecuteNonQueryAsync(cancellationToken);
            result.Deleted++;
        }

        foreach (var (row, info) in merges)
        {
            await MergeAsync(connection, tx, row, info, delete, supersede, cancellationToken);
            result.Merged++;
        }

        FailPoints.Hit("integrate.mid_tx");
        await db.Database.ExecuteSqlRawAsync("DELETE FROM incoming", cancellationToken);

        var stores = await ActiveStoresAsync(connection, tx, siteId, cancellationToken);
        await WriteSettingAsync(connection, tx, SettingKeys.ActiveStoreIds, JsonSerializer.Serialize(stores, RemoteJsonContext.Default.ListString), cancellationToken);
        result.ActiveStoreIds = stores;

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<string?> OwningStoreAsync(TableInfo info, string data, SqliteCommand parentStore, CancellationToken cancellationToken)
    {
        if (info.StoreField is null && info.ParentTable is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(data);
        if (info.StoreField is { } storeField)
        {
            return StringField(document.RootElement, storeField);
        }

        if (StringField(document.RootElement, info.ParentField!) is not { } parentId)
        {
            return null;
        }

        return await parentStore.Set("$table", info.ParentTable).Set("$id", parentId).ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task MergeAsync(
        SqliteConnection connection, SqliteTransaction tx, IncomingRecordEntity row, TableInfo info,
        SqliteCommand delete, SqliteCommand supersede, CancellationToken cancellationToken)
    {
        if (row.Data is null)
        {
            return;
        }

        using var document = JsonDocument.Parse(row.Data);
        if (StringField(document.RootElement, MergeFields.Keep) is not { } keep
            || StringField(document.RootElement, MergeFields.Delete) is not { } remove
            || string.Equals(keep, remove, StringComparison.Ordinal))
        {
            return;
        }

        // Links are re-pointed before the merged record goes, so no record points at a missing one at any commit.
        foreach (var field in info.MergeLinks)
        {
            await using var repoint = connection.Command(
                tx, "UPDATE records SET data = json_set(data, $path, $keep) WHERE json_extract(data, $path) = $remove")
                .With("$path", "$." + field).With("$keep", keep).With("$remove", remove);
            await repoint.ExecuteNonQueryAsync(cancellationToken);
        }

        await delete.Set("$table", row.TableName).Set("$id", remove).ExecuteNonQueryAsync(cancellationToken);
        await supersede.Set("$table", row.TableName).Set("$id", remove).ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<string>> ActiveStoresAsync(
        SqliteConnection connection, SqliteTransaction tx, int? siteId, CancellationToken cancellationToken)
    {
        var stores = new List<string>();
        if (siteId is null)
        {
            return stores;
        }

        await using var command = connection.Command(tx, "SELECT record_id, data FROM records WHERE table_name = 'store' ORDER BY record_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var document = JsonDocument.Parse(reader.GetString(1));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("sync_id_remote_site", out var site)
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

    internal static string? StringField(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    // ---- local edits and the push ----

    /// <summary>Upserts locally edited records and appends one change-log row each, superseding earlier unpushed rows of the same
    /// record so a record is pushed once with its latest data.</summary>
    public async Task PutAsync(IReadOnlyList<LocalRecord> records, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        var pushCursor = await db.Cursors.AsNoTracking().Where(c => c.Name == PushCursor).Select(c => c.Value).FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow().UtcTicks;

        foreach (var record in records)
        {
            await using var upsert = connection.Command(
                tx,
                """
                INSERT INTO records (table_name, record_id, data, store_id) VALUES ($table, $id, $data, $store)
                ON CONFLICT (table_name, record_id) DO UPDATE SET data = excluded.data, store_id = excluded.store_id
                """)
                .With("$table", record.TableName).With("$id", record.RecordId).With("$data", record.Data).With("$store", record.StoreId);
            await upsert.ExecuteNonQueryAsync(cancellationToken);

            await using var supersede = connection.Command(
                tx,
                "UPDATE change_log SET is_superseded = 1 WHERE table_name = $table AND record_id = $id AND id > $cursor AND is_superseded = 0")
                .With("$table", record.TableName).With("$id", record.RecordId).With("$cursor", pushCursor);
            await supersede.ExecuteNonQueryAsync(cancellationToken);

            await using var log = connection.Command(
                tx,
                """
                INSERT INTO change_log (table_name, record_id, action, store_id, changed_at, is_superseded)
                VALUES ($table, $id, $action, $store, $at, 0)
                """)
                .With("$table", record.TableName).With("$id", record.RecordId).With("$action", SyncActions.Update)
                .With("$store", record.StoreId).With("$at", now);
            await log.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The next unpushed change-log rows after <paramref name="cursor"/> with each record's current data (a record
    /// deleted since is pushed as a delete), and how many rows remain including these.</summary>
    public async Task<(List<RemoteSyncRecord> Records, long LastId, long Remaining)> NextPushBatchAsync(
        long cursor, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();

        await using var count = connection.Command(null, "SELECT COUNT(*) FROM change_log WHERE id > $cursor AND is_superseded = 0")
            .With("$cursor", cursor);
        var remaining = (long)(await count.ExecuteScalarAsync(cancellationToken) ?? 0L);

        await using var select = connection.Command(
            null,
            """
            SELECT c.id, c.table_name, c.record_id, c.action, r.data
            FROM change_log c LEFT JOIN records r ON r.table_name = c.table_name AND r.record_id = c.record_id
            WHERE c.id > $cursor AND c.is_superseded = 0
            ORDER BY c.id
            LIMIT $limit
            """)
            .With("$cursor", cursor).With("$limit", limit);
        var records = new List<RemoteSyncRecord>();
        var lastId = cursor;
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lastId = reader.GetInt64(0);
            var data = reader.IsDBNull(4) ? null : reader.GetString(4);
            records.Add(new RemoteSyncRecord(
                lastId.ToString(CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                data is null ? SyncActions.Delete : reader.GetString(3),
                data is null ? null : new Protocol.Json.RawJson(data)));
        }

        return (records, lastId, remaining);
    }

    public async Task<long> CountPendingPushAsync(CancellationToken cancellationToken)
    {
        var cursor = await ReadCursorAsync(PushCursor, cancellationToken);
        await using var db = database.CreateContext();
        return await db.ChangeLog.LongCountAsync(c => c.Id > cursor && !c.IsSuperseded, cancellationToken);
    }

    // ---- records ----

    public async Task<RecordEntity?> FindRecordAsync(string tableName, string recordId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.TableName == tableName && r.RecordId == recordId, cancellationToken);
    }

    public async Task<List<RecordEntity>> ListRecordsAsync(string tableName, string? storeId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.Records.AsNoTracking().Where(r => r.TableName == tableName);
        if (storeId is not null)
        {
            query = query.Where(r => r.StoreId == storeId);
        }

        return await query.OrderBy(r => r.RecordId).ToListAsync(cancellationToken);
    }

    // ---- sync log ----

    public async Task<long> StartSyncLogAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var entry = new SyncLogEntity { StartedAt = time.GetUtcNow(), Outcome = SyncOutcomes.Running };
        db.SyncLog.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry.Id;
    }

    public async Task FinishSyncLogAsync(long id, Action<SyncLogEntity> update, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var entry = await db.SyncLog.FirstAsync(l => l.Id == id, cancellationToken);
        update(entry);
        entry.FinishedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<SyncLogEntity?> LastSyncLogAsync(bool successfulOnly, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.SyncLog.AsNoTracking();
        if (successfulOnly)
        {
            query = query.Where(l => l.Outcome == SyncOutcomes.Ok);
        }

        return await query.OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary>A pulled record as buffered: merges are keyed by the record they remove, so a re-delivered merge overwrites itself.</summary>
internal sealed record IncomingRecord(string TableName, string BufferKey, string Action, string? Data);

/// <summary>A validated local edit.</summary>
internal sealed record LocalRecord(string TableName, string RecordId, string Data, string? StoreId);

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
