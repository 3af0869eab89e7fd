using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SiteSync.Testing;
using SiteSync.Central.Storage.Postgres;
using SiteSync.Central.Storage.Sqlite;

namespace SiteSync.IntegrationTests.Hosting;

/// <summary>Every model change must come with a migration for both engines (STYLE §10).</summary>
public sealed class MigrationTests
{
    [Fact]
    public void SqliteMigrationsMatchTheModel()
    {
        using var db = new SqliteSiteSyncDbContext(new DbContextOptionsBuilder<SqliteSiteSyncDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "Add a SQLite migration: see SiteSyncDbContext's remarks.");
    }

    [Fact]
    public void PostgresMigrationsMatchTheModel()
    {
        using var db = new PostgresSiteSyncDbContext(new DbContextOptionsBuilder<PostgresSiteSyncDbContext>().UseNpgsql("Host=unused").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "Add a PostgreSQL migration: see SiteSyncDbContext's remarks.");
    }

    /// <summary>A central killed during an upgrade leaves EF Core's SQLite migration lock behind (dotnet/efcore#38958): the
    /// next start removes a lock older than two minutes and upgrades, instead of waiting for it for ever.</summary>
    [Fact]
    public async Task ACentralKilledDuringAnUpgradeStartsAgainAndFinishesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(Engine.Sqlite, ct);
        var options = new DbContextOptionsBuilder<SqliteSiteSyncDbContext>().UseSqlite(database.ConnectionString).Options;
        await using (var old = new SqliteSiteSyncDbContext(options))
        {
            // The release before the last, then the lock row an interrupted Migrate leaves (EF writes an ISO 8601 time).
            var migrations = old.Database.GetMigrations().ToList();
            await old.GetService<IMigrator>().MigrateAsync(migrations[^2], ct);
            await old.Database.ExecuteSqlRawAsync("""CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL PRIMARY KEY, "Timestamp" TEXT NOT NULL)""", ct);
            var taken = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            await old.Database.ExecuteSqlAsync($"""INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, {taken})""", ct);
        }
        SqliteConnection.ClearAllPools();

        await using var central = new CentralFactory(database.Storage);
        await Task.Run(central.StartServer, ct).WaitAsync(TimeSpan.FromSeconds(90), ct);

        await using var upgraded = new SqliteSiteSyncDbContext(options);
        Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync(ct));
        Assert.Equal(0, await upgraded.Database.SqlQueryRaw<int>("""SELECT COUNT(*) AS "Value" FROM "__EFMigrationsLock" """).SingleAsync(ct));
    }
}
