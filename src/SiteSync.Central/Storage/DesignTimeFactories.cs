using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using SiteSync.Central.Storage.Postgres;
using SiteSync.Central.Storage.Sqlite;

namespace SiteSync.Central.Storage;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSiteSyncDbContext>
{
    public SqliteSiteSyncDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSiteSyncDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without a server (migrations need no connection).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSiteSyncDbContext>
{
    public PostgresSiteSyncDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSiteSyncDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
