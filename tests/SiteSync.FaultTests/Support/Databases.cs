using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SiteSync.Testing;

namespace SiteSync.FaultTests.Support;

/// <summary>A record as a database holds it: the data's <c>_v</c> version token, or null for a tombstone.</summary>
public sealed record StoredRecord(string Table, string RecordId, string? Data, string? StoreId)
{
    public string? Version => History.VersionOf(Data);
}

/// <summary>One row of a test-only apply log: a record (version) written to a records table, by a trigger the test installs.</summary>
public sealed record AppliedRecord(long Seq, string Table, string RecordId, string? Version);

/// <summary>A place records land, read straight from its database file or server as an operator would.</summary>
public interface IRemoteNode
{
    string Name { get; }

    string DatabasePath { get; }
}

/// <summary>Central's database, read and instrumented with plain ADO.NET (no server code involved): records, change log,
/// apply log, digests of whole tables and of the schema.</summary>
public sealed class CentralDb(TestDatabase database)
{
    public Engine Engine => database.Engine;

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = database.Engine == Engine.Postgres
            ? new NpgsqlConnection(database.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        if (connection is SqliteConnection)
        {
            await using var busy = connection.CreateCommand();
            busy.CommandText = "PRAGMA busy_timeout=30000";
            await busy.ExecuteNonQueryAsync();
        }
        return connection;
    }

    /// <summary>Installs the apply log: a table and a trigger that logs every insert or update of <c>record</c> with the
    /// version token of its data. Test-only schema, added after central's migrations; central's code never sees it.</summary>
    public async Task InstallApplyLogAsync()
    {
        await using var connection = await OpenAsync();
        var sql = database.Engine == Engine.Postgres
            ? """
              CREATE TABLE IF NOT EXISTS fault_apply_log (seq bigserial PRIMARY KEY, table_name text NOT NULL, record_id text NOT NULL, version text);
              CREATE OR REPLACE FUNCTION fault_apply_log_fn() RETURNS trigger LANGUAGE plpgsql AS $$
              DECLARE v text;
              BEGIN
                BEGIN
                  v := CASE WHEN NEW.data IS NULL THEN NULL ELSE NEW.data::jsonb ->> '_v' END;
                EXCEPTION WHEN others THEN v := NULL;
                END;
                INSERT INTO fault_apply_log (table_name, record_id, version) VALUES (NEW.table_name, NEW.record_id, v);
                RETURN NULL;
              END $$;
              DROP TRIGGER IF EXISTS fault_apply_log_trg ON record;
              CREATE TRIGGER fault_apply_log_trg AFTER INSERT OR UPDATE ON record FOR EACH ROW EXECUTE FUNCTION fault_apply_log_fn();
              """
            : """
              CREATE TABLE IF NOT EXISTS fault_apply_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, record_id TEXT NOT NULL, version TEXT);
              CREATE TRIGGER IF NOT EXISTS fault_apply_log_ins AFTER INSERT ON record BEGIN
                INSERT INTO fault_apply_log (table_name, record_id, version)
                VALUES (new.table_name, new.record_id, CASE WHEN json_valid(new.data) THEN json_extract(new.data, '$._v') END);
              END;
              CREATE TRIGGER IF NOT EXISTS fault_apply_log_upd AFTER UPDATE ON record BEGIN
                INSERT INTO fault_apply_log (table_name, record_id, version)
                VALUES (new.table_name, new.record_id, CASE WHEN json_valid(new.data) THEN json_extract(new.data, '$._v') END);
              END;
              """;
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Live records whose id starts with <paramref name="prefix"/>; tombstones have null data.</summary>
    public async Task<List<StoredRecord>> RecordsAsync(string prefix)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT table_name, record_id, data, is_deleted, store_id FROM record WHERE record_id LIKE @p";
        Add(command, "@p", prefix + "%");
        List<StoredRecord> records = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var deleted = reader.GetBoolean(3);
            records.Add(new StoredRecord(reader.GetString(0), reader.GetString(1), deleted || reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return records;
    }

    public async Task<List<AppliedRecord>> ApplyLogAsync(string prefix)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, table_name, record_id, version FROM fault_apply_log WHERE record_id LIKE @p ORDER BY seq";
        Add(command, "@p", prefix + "%");
        List<AppliedRecord> log = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            log.Add(new AppliedRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return log;
    }

    /// <summary>The change log as (id, table, record id), ascending.</summary>
    public async Task<List<(long Id, string Table, string RecordId)>> ChangeLogAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, table_name, record_id FROM central_change_log ORDER BY id";
        List<(long, string, string)> rows = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }

    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        return await command.ExecuteScalarAsync();
    }

    public async Task<long> CountAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt64(await ScalarAsync(sql, parameters) ?? 0L, CultureInfo.InvariantCulture);

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A digest of whole tables (every column but <paramref name="ignoreColumns"/>, rows sorted), to prove a refused
    /// request wrote nothing. Returns one digest per table so a difference names the table.</summary>
    public async Task<Dictionary<string, string>> DigestAsync(IEnumerable<string> tables, ISet<string>? ignoreColumns = null,
        Func<string, IReadOnlyDictionary<string, string?>, bool>? rowFilter = null)
    {
        await using var connection = await OpenAsync();
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            List<string> rows = [];
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        var name = reader.GetName(i);
                        if (ignoreColumns?.Contains($"{table}.{name}") == true)
                        {
                            continue;
                        }
                        row[name] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                    }
                    if (rowFilter?.Invoke(table, row) == false)
                    {
                        continue;
                    }
                    rows.Add(string.Join("\u0001", row.Select(p => $"{p.Key}={p.Value ?? "\u0002"}")));
                }
            }
            rows.Sort(StringComparer.Ordinal);
            digests[table] = $"{rows.Count}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", rows))))[..16]}";
        }
        return digests;
    }

    /// <summary>A digest of the schema (tables, columns, indexes; and PostgreSQL's roles), to prove no input reached DDL.</summary>
    public async Task<string> SchemaDigestAsync()
    {
        var sql = database.Engine == Engine.Postgres
            ? """
              SELECT table_schema || '.' || table_name || '.' || column_name || ':' || data_type FROM information_schema.columns
              WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_name NOT LIKE 'fault_%'
              UNION ALL SELECT 'index:' || indexname FROM pg_indexes WHERE schemaname = 'public'
              UNION ALL SELECT 'role:' || rolname FROM pg_roles
              """
            : "SELECT type || ':' || name || ':' || COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'fault_%'";
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        List<string> lines = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        lines.Sort(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines))));
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>A remote site's SQLite file, read and instrumented directly.</summary>
public static class RemoteDb
{
    public static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout=30000";
        await busy.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>The remote's apply log: every insert or update of its <c>records</c> table, with the version token.</summary>
    public static async Task InstallApplyLogAsync(string path)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS fault_apply_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, record_id TEXT NOT NULL, version TEXT);
            CREATE TRIGGER IF NOT EXISTS fault_apply_log_ins AFTER INSERT ON records BEGIN
              INSERT INTO fault_apply_log (table_name, record_id, version)
              VALUES (new.table_name, new.record_id, CASE WHEN json_valid(new.data) THEN json_extract(new.data, '$._v') END);
            END;
            CREATE TRIGGER IF NOT EXISTS fault_apply_log_upd AFTER UPDATE ON records BEGIN
              INSERT INTO fault_apply_log (table_name, record_id, version)
              VALUES (new.table_name, new.record_id, CASE WHEN json_valid(new.data) THEN json_extract(new.data, '$._v') END);
            END;
            """;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<StoredRecord>> RecordsAsync(string path, string prefix)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT table_name, record_id, data, store_id FROM records WHERE record_id LIKE $p";
        command.Parameters.AddWithValue("$p", prefix + "%");
        List<StoredRecord> records = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(new StoredRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return records;
    }

    public static async Task<List<AppliedRecord>> ApplyLogAsync(string path, string prefix)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, table_name, record_id, version FROM fault_apply_log WHERE record_id LIKE $p ORDER BY seq";
        command.Parameters.AddWithValue("$p", prefix + "%");
        List<AppliedRecord> log = [];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            log.Add(new AppliedRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return log;
    }

    public static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }

    public static async Task<string?> TextAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() as string;
    }

    public static async Task ExecuteAsync(string path, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        await command.ExecuteNonQueryAsync();
    }
}
