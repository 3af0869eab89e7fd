using Microsoft.EntityFrameworkCore;

namespace SiteSync.Central.Storage.Postgres;

/// <summary>The PostgreSQL model: production, and several central nodes on one database.</summary>
public sealed class PostgresSiteSyncDbContext(DbContextOptions<PostgresSiteSyncDbContext> options) : SiteSyncDbContext(options)
{
    public override StorageProvider Provider => StorageProvider.Postgres;
}
