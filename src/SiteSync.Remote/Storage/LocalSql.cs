namespace SiteSync.Remote.Storage;

/// <summary>Every hand-written statement of the site's database, stated once. Parameters are named after the column they set.</summary>
internal static class LocalSql
{
    public const string UpsertSetting =
        "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    public const string DeleteSetting = "DELETE FROM settings WHERE key = $key";

    public const string ReadSettings = "SELECT key, value FROM settings";

    public const string ReadCursor = "SELECT value FROM cursors WHERE name = $name";

    /// <summary>EF Core's history of applied migrations (its table and column names).</summary>
    public const string AppliedMigrations = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";

    public const string StartSyncLog = """
        INSERT INTO sync_log (started_at, outcome, pushed, pulled_central, pulled_queue, integrated, unknown_tables, request_size)
        VALUES ($started, $outcome, 0, 0, 0, 0, 0, 0)
        RETURNING id
        """;

    public const string ReadSyncLog = """
        SELECT started_at, finished_at, outcome, error_code, message, pushed, pulled_central, pulled_queue, integrated, unknown_tables,
               request_size
        FROM sync_log WHERE id = $id
        """;

    public const string FinishSyncLog = """
        UPDATE sync_log SET finished_at = $finished, outcome = $outcome, error_code = $error, message = $message, pushed = $pushed,
            pulled_central = $pulledCentral, pulled_queue = $pulledQueue, integrated = $integrated, unknown_tables = $unknownTables,
            request_size = $requestSize
        WHERE id = $id
        """;

    public const string CountIncoming = "SELECT COUNT(*) FROM incoming";

    public const string UpsertCursor =
        "INSERT INTO cursors (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    /// <summary>A re-delivered record overwrites its earlier copy in the buffer.</summary>
    public const string BufferIncoming = """
        INSERT INTO incoming (table_name, record_id, action, data, source) VALUES ($table, $id, $action, $data, $source)
        ON CONFLICT (table_name, record_id) DO UPDATE SET action = excluded.action, data = excluded.data, source = excluded.source
        """;

    public const string ClearIncoming = "DELETE FROM incoming";

    /// <summary>What the buffer holds, by table and action.</summary>
    public const string IncomingGroups = "SELECT table_name, action, COUNT(*) FROM incoming GROUP BY table_name, action";

    /// <summary>The buffered merges in the order they were buffered.</summary>
    public const string IncomingMerges = "SELECT table_name, data FROM incoming WHERE action = $action ORDER BY rowid";

    /// <summary>Upserts every buffered record of one table (<see cref="UpsertRecord"/>'s rule: an identical copy is not written
    /// again); <paramref name="storeExpression"/> computes the owning store from the buffered row <c>i</c>. The
    /// <c>WHERE</c> of the <c>SELECT</c> also keeps SQLite's parser from reading <c>ON CONFLICT</c> as a join constraint.</summary>
    /// <remarks>The table's buffered rows are read in the order they were buffered (their rowids, found through the key index,
    /// which holds them): read through that index in key order, each row was a random read of the buffer, which is as large
    /// as the pull (60 MB for 150,000 records of 350 bytes) and does not fit the cycle's page cache; the buffer then was read
    /// back page by page and the integration took about twice as long (issue 10). Reading the whole buffer without the
    /// index would read it once per table.</remarks>
    public static string IntegrateUpserts(string storeExpression) => $"""
        INSERT INTO records (table_name, record_id, data, store_id)
        SELECT i.table_name, i.record_id, i.data, {storeExpression} FROM incoming i
        WHERE i.rowid IN (SELECT rowid FROM incoming WHERE table_name = $table) AND i.action = $action
        ON CONFLICT (table_name, record_id) DO UPDATE SET data = excluded.data, store_id = excluded.store_id
        WHERE records.data IS NOT excluded.data OR records.store_id IS NOT excluded.store_id
        """;

    /// <summary>Deletes every record of one table that the buffer holds a delete for.</summary>
    public const string IntegrateDeletes = """
        DELETE FROM records
        WHERE table_name = $table AND record_id IN (SELECT record_id FROM incoming WHERE table_name = $table AND action = $action)
        """;

    /// <summary><see cref="SupersedeUnpushed"/> for every record the buffer upserts or deletes, in one statement.</summary>
    public const string SupersedeIncoming = """
        UPDATE change_log SET is_superseded = 1
        WHERE id > $cursor AND is_superseded = 0
          AND EXISTS (SELECT 1 FROM incoming i WHERE i.table_name = change_log.table_name AND i.record_id = change_log.record_id
                      AND i.action IN ($update, $delete))
        """;

    /// <summary>A field of a JSON column as SQL: its text when it is a JSON string, else null (<c>JsonFields.StringField</c>).</summary>
    public static string StringField(string column, string field)
    {
        var path = "'$.\"" + field.Replace("'", "''", StringComparison.Ordinal) + "\"'";
        return $"CASE json_type({column}, {path}) WHEN 'text' THEN json_extract({column}, {path}) END";
    }

    /// <summary>A copy identical to the one held is not written again: central sends its records again after a
    /// re-initialisation or a restore. (A local edit that changes nothing still gets its change-log row.)</summary>
    public const string UpsertRecord = """
        INSERT INTO records (table_name, record_id, data, store_id) VALUES ($table, $id, $data, $store)
        ON CONFLICT (table_name, record_id) DO UPDATE SET data = excluded.data, store_id = excluded.store_id
        WHERE records.data IS NOT excluded.data OR records.store_id IS NOT excluded.store_id
        """;

    public const string DeleteRecord = "DELETE FROM records WHERE table_name = $table AND record_id = $id";

    public const string StoreOfRecord = "SELECT store_id FROM records WHERE table_name = $table AND record_id = $id";

    /// <summary>Re-points one link field of every record from the merged record to the one kept.</summary>
    public const string RepointLink = "UPDATE records SET data = json_set(data, $path, $keep) WHERE json_extract(data, $path) = $remove";

    public const string StoreRecords = "SELECT record_id, data FROM records WHERE table_name = 'store' ORDER BY record_id";

    /// <summary>Marks the unpushed change-log rows of a record (those after the push cursor) as superseded.</summary>
    public const string SupersedeUnpushed =
        "UPDATE change_log SET is_superseded = 1 WHERE table_name = $table AND record_id = $id AND id > $cursor AND is_superseded = 0";

    public const string AppendChangeLog = """
        INSERT INTO change_log (table_name, record_id, action, store_id, changed_at, is_superseded)
        VALUES ($table, $id, $action, $store, $at, 0)
        """;

    public const string CountUnpushed = "SELECT COUNT(*) FROM change_log WHERE id > $cursor AND is_superseded = 0";

    /// <summary>The next unpushed rows with each record's current data (null once the record was deleted).</summary>
    public const string NextUnpushed = """
        SELECT c.id, c.table_name, c.record_id, c.action, r.data
        FROM change_log c LEFT JOIN records r ON r.table_name = c.table_name AND r.record_id = c.record_id
        WHERE c.id > $cursor AND c.is_superseded = 0
        ORDER BY c.id
        LIMIT $limit
        """;
}
