using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Bootstrap;
using SiteSync.Central.Diagnostics;

namespace SiteSync.Central.Storage;

/// <summary>Brings the database to the model and seeds what a fresh datafile needs. Runs at start-up, and as the
/// <c>migrate</c> command: with several nodes on one PostgreSQL database, the command runs once (a deployment step) and the
/// nodes start with <c>SiteSync:Database:MigrateOnStartup=false</c>, so exactly one process applies migrations.</summary>
public sealed class DatabaseMigrator(SiteSyncDbContext db, StartupSeeder seeder, Routing.RoutingColumnsBackfill backfill, ILogger<DatabaseMigrator> logger)
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
}
