using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Bootstrap;
using SiteSync.Central.Diagnostics;

namespace SiteSync.Central.Storage;

/// <summary>Brings the database to the model and seeds what a fresh datafile needs. Runs at start-up, and as the
/// <c>migrate</c> command: with several nodes on one PostgreSQL database, the command runs once (a deployment step) and the
/// nodes start with <c>SiteSync:Database:MigrateOnStartup=false</c>, so exactly one process applies migrations.</summary>
public sealed class DatabaseMigrator(
    SiteSyncDbContext db, StartupSeeder seeder, Routing.RoutingColumnsBackfill backfill, TimeProvider time, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Applies pending migrations when <paramref name="migrate"/> is true, else refuses to start on an out-of-date
    /// schema; then seeds; then, when it migrates, fills the routing columns of older records (<see cref="Routing.RoutingColumnsBackfill"/>). Returns the number of migrations applied.</summary>
    /// <exception cref="InvalidOperationException">Migrations are pending and <paramref name="migrate"/> is false.</exception>
    public async Task<int> PrepareAsync(bool migrate, CancellationToken cancellationToken)
    {
        if (db.Provider == StorageProvider.Sqlite
            && Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            if (!migrate)
            {
                throw new InvalidOperationException(
                    $"The database has {pending.Count} pending migration(s) ({pending[^1]}) and SiteSync:Database:MigrateOnStartup is false: " +
                    "run 'dotnet SiteSync.Central.dll migrate' once, then start the nodes (docs/operations.md, several nodes).");
            }
            using var activity = SiteSyncTracing.Source.StartActivity("migrate");
            activity?.SetTag("sitesync.migrations.pending", pending.Count);
            Log.ApplyingMigrations(logger, pending.Count, db.Provider.ToString());
            if (db.Provider == StorageProvider.Sqlite)
            {
                await RemoveStaleSqliteMigrationLockAsync(cancellationToken);
            }
            await db.Database.MigrateAsync(cancellationToken);
        }
        await seeder.SeedAsync(cancellationToken);
        if (migrate)
        {
            // A data migration: the process that migrates the schema brings stored records up to today's routing rule.
            await backfill.RunAsync(cancellationToken);
        }
        return pending.Count;
    }

    /// <summary>How old a migration lock must be to belong to a process that died: far longer than any of our migrations.</summary>
    public static readonly TimeSpan StaleMigrationLock = TimeSpan.FromMinutes(2);

    /// <summary>EF Core's migration lock on SQLite is a row in <c>__EFMigrationsLock</c> that <c>Migrate</c> inserts and
    /// deletes at its end; a central killed during an upgrade leaves it, and every later start would wait for it for ever
    /// (dotnet/efcore#38958, found on the remote by the fault suite). A lock older than <see cref="StaleMigrationLock"/> is
    /// removed. PostgreSQL needs nothing: its lock is a session advisory lock, gone with the dead process's connection.</summary>
    private async Task RemoveStaleSqliteMigrationLockAsync(CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var exists = SqlCommands.Create(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'");
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return;
        }
        await using var read = SqlCommands.Create(db, "SELECT \"Timestamp\" FROM \"__EFMigrationsLock\" WHERE \"Id\" = 1");
        if (await read.ExecuteScalarAsync(cancellationToken) is not string taken
            || !DateTimeOffset.TryParse(taken, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            || time.GetUtcNow() - at < StaleMigrationLock)
        {
            return; // No lock, or a live process's: EF waits for it as designed.
        }
        await using var remove = SqlCommands.Create(db, "DELETE FROM \"__EFMigrationsLock\" WHERE \"Id\" = 1 AND \"Timestamp\" = @taken");
        remove.Add("@taken", taken);
        await remove.ExecuteNonQueryAsync(cancellationToken);
        Log.StaleMigrationLockRemoved(logger, taken);
    }
}
