using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Sites;
using SiteSync.Central.Stores;
using SiteSync.Central.Support;
using SiteSync.Central.Sync;
using SiteSync.Central.Users;

namespace SiteSync.Central.Storage;

/// <summary>The one model of central's storage; each engine has a thin subclass that owns its migrations.</summary>
/// <remarks>
/// Every model change adds a migration to both providers (run from the repository root):
/// <code>
/// dotnet tool restore
/// dotnet ef migrations add NAME -p src/SiteSync.Central -c SqliteSiteSyncDbContext -o Storage/Sqlite/Migrations
/// dotnet ef migrations add NAME -p src/SiteSync.Central -c PostgresSiteSyncDbContext -o Storage/Postgres/Migrations
/// </code>
/// A test fails while either provider has pending model changes.
/// </remarks>
public abstract class SiteSyncDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<SiteEntity> Sites => Set<SiteEntity>();
    public DbSet<StoreEntity> Stores => Set<StoreEntity>();
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<SiteLogEntity> SiteLogs => Set<SiteLogEntity>();
    public DbSet<SupportContractEntity> SupportContracts => Set<SupportContractEntity>();
    public DbSet<RecordEntity> Records => Set<RecordEntity>();
    public DbSet<ChangeLogEntity> ChangeLog => Set<ChangeLogEntity>();
    public DbSet<QueueEntity> Queue => Set<QueueEntity>();
    public DbSet<SnapshotEntity> Snapshots => Set<SnapshotEntity>();
    public DbSet<PushBufferEntity> PushBuffer => Set<PushBufferEntity>();
    public DbSet<Stores.StoreDepartureEntity> StoreDepartures => Set<Stores.StoreDepartureEntity>();
    public DbSet<CounterEntity> Counters => Set<CounterEntity>();

    /// <summary>Keys shared by every central node, so a cookie or antiforgery token minted on one node works on another.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Which engine this context talks to; the few engine-specific statements branch on it.</summary>
    public abstract StorageProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SiteSyncDbContext).Assembly);
        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_key");
            key.Property(k => k.Id).HasColumnName("id");
            key.Property(k => k.FriendlyName).HasColumnName("friendly_name");
            key.Property(k => k.Xml).HasColumnName("xml");
        });
    }
}
