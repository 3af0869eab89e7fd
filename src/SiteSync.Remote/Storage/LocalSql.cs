namespace SiteSync.Remote.Storage;

/// <summary>Every hand-written statement of the site's database, stated once. Parameters are named after the column they set.</summary>
internal static class LocalSql
{
    public const string UpsertSetting =
        "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    public const string DeleteSetting = "DELETE FROM settings WHERE key = $key";

    public const string UpsertCursor =
        "INSERT INTO cursors (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    /// <summary>A re-delivered record overwrites its earlier copy in the buffer.</summary>
    public const string BufferIncoming = """
        INSERT INTO incoming (table_name, record_id, action, data, source) VALUES ($table, $id, $action, $data, $source)
        ON CONFLICT (table_name, record_id) DO UPDATE SET action = excluded.action, data = excluded.data, source = excluded.source
        """;

    public const string ClearIncoming = "DELETE FROM incoming";

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
