using Microsoft.Data.Sqlite;
using SiteSync.Remote.Settings;

namespace SiteSync.Remote.Storage;

/// <summary>The names of the site's cursors.</summary>
internal static class CursorNames
{
    /// <summary>The last change-log id of central stored in the buffer.</summary>
    public const string CentralPull = "central_pull";

    /// <summary>The last local change-log row central accepted.</summary>
    public const string Push = "push";
}

/// <summary>The site's settings and cursors. Each public method is one short transaction.</summary>
internal sealed class SettingsStore(LocalDatabase database)
{
    public async Task<StoredSettings> ReadAsync(CancellationToken cancellationToken)
    {
        await using var read = await LocalConnection.OpenReadAsync(database, cancellationToken);
        await using var command = read.Command(LocalSql.ReadSettings);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            raw[reader.GetString(0)] = reader.GetString(1);
        }

        return StoredSettings.Parse(raw);
    }

    /// <summary>Stores every value in one transaction; a null value removes the key.</summary>
    public async Task WriteAsync(IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        foreach (var (key, value) in values)
        {
            await WriteAsync(write, key, value, cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
    }

    /// <summary>Stores one value inside the caller's transaction (the integrator stores the active stores with the records).</summary>
    public static async Task WriteAsync(LocalConnection write, string key, string? value, CancellationToken cancellationToken)
    {
        await using var command = value is null
            ? write.Command(LocalSql.DeleteSetting).With("$key", key)
            : write.Command(LocalSql.UpsertSetting).With("$key", key).With("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        await using var read = await LocalConnection.OpenReadAsync(database, cancellationToken);
        return await ReadCursorAsync(read, name, cancellationToken);
    }

    /// <summary>Reads a cursor on the caller's connection (inside its transaction, when it has one); 0 when never written.</summary>
    public static async Task<long> ReadCursorAsync(LocalConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(LocalSql.ReadCursor).With("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : 0;
    }

    public async Task WriteCursorAsync(string name, long value, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        await using var command = CursorCommand(write, name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
    }

    /// <summary>The statement that moves a cursor, inside the caller's transaction (the buffer stores a page and its cursor together).</summary>
    public static SqliteCommand CursorCommand(LocalConnection write, string name, long value) =>
        write.Command(LocalSql.UpsertCursor).With("$name", name).With("$value", value);
}
