using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SiteSync.Central.Storage;

/// <summary>An online backup of the SQLite database: <c>VACUUM INTO</c> copies one consistent snapshot (a read transaction, so
/// syncs keep writing through the WAL while it runs) into a new, compact file that SQLite can open as it is.</summary>
public sealed class DatabaseBackup(SiteSyncDbContext db)
{
    /// <summary>Writes the backup to <paramref name="target"/>, which must not exist yet.</summary>
    /// <exception cref="InvalidOperationException">The provider is not SQLite, or the target exists.</exception>
    public async Task<string> BackupAsync(string target, CancellationToken cancellationToken)
    {
        if (db.Provider != StorageProvider.Sqlite)
        {
            throw new InvalidOperationException(
                "backup copies a SQLite database; back up PostgreSQL with pg_dump or a base backup (docs/operations.md, Backups).");
        }
        var path = Path.GetFullPath(target);
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"{path} exists; choose a new file (a backup never overwrites).");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "VACUUM INTO @target";
        command.Parameters.Add(new SqliteParameter("@target", path));
        await command.ExecuteNonQueryAsync(cancellationToken);
        // VACUUM INTO writes a rollback-journal file; put it in WAL mode now, so a restored copy is like the original.
        await using (var copy = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await copy.OpenAsync(cancellationToken);
            await using var wal = copy.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        return path;
    }
}
