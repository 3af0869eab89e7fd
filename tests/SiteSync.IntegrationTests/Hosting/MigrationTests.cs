using Microsoft.EntityFrameworkCore;
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
}
