using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SiteSync.Remote.Storage;

/// <summary>The remote site's local SQLite database.</summary>
/// <remarks>
/// The schema comes only from migrations (DESIGN §7). After a model change, from the repository root:
/// <code>
/// dotnet tool restore
/// dotnet ef migrations add NAME -p src/SiteSync.Remote -c RemoteDbContext -o Storage/Migrations
/// </code>
/// A test fails while the model has changes no migration covers.
/// </remarks>
internal sealed class RemoteDbContext(DbContextOptions<RemoteDbContext> options) : DbContext(options)
{
    public DbSet<RecordEntity> Records => Set<RecordEntity>();
    public DbSet<ChangeLogEntity> ChangeLog => Set<ChangeLogEntity>();
    public DbSet<CursorEntity> Cursors => Set<CursorEntity>();
    public DbSet<IncomingRecordEntity> Incoming => Set<IncomingRecordEntity>();
    public DbSet<SettingEntity> Settings => Set<SettingEntity>();
    public DbSet<SyncLogEntity> SyncLog => Set<SyncLogEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type; UTC ticks keep ordering and range filters in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RecordEntity>(record =>
        {
            record.ToTable("records");
            record.HasKey(r => new { r.TableName, r.RecordId });
            record.Property(r => r.TableName).HasColumnName("table_name");
            record.Property(r => r.RecordId).HasColumnName("record_id");
            record.Property(r => r.Data).HasColumnName("data");
            record.Property(r => r.StoreId).HasColumnName("store_id");
            record.HasIndex(r => new { r.TableName, r.StoreId });
        });

        modelBuilder.Entity<ChangeLogEntity>(log =>
        {
            log.ToTable("change_log");
            log.HasKey(c => c.Id);
            log.Property(c => c.Id).HasColumnName("id").ValueGeneratedOnAdd();
            log.Property(c => c.TableName).HasColumnName("table_name");
            log.Property(c => c.RecordId).HasColumnName("record_id");
            log.Property(c => c.Action).HasColumnName("action");
            log.Property(c => c.StoreId).HasColumnName("store_id");
            log.Property(c => c.ChangedAt).HasColumnName("changed_at");
            log.Property(c => c.IsSuperseded).HasColumnName("is_superseded");
            log.HasIndex(c => new { c.TableName, c.RecordId });
        });

        modelBuilder.Entity<CursorEntity>(cursor =>
        {
            cursor.ToTable("cursors");
            cursor.HasKey(c => c.Name);
            cursor.Property(c => c.Name).HasColumnName("name");
            cursor.Property(c => c.Value).HasColumnName("value");
        });

        modelBuilder.Entity<IncomingRecordEntity>(incoming =>
        {
            incoming.ToTable("incoming");
            incoming.HasKey(i => new { i.TableName, i.RecordId });
            incoming.Property(i => i.TableName).HasColumnName("table_name");
            incoming.Property(i => i.RecordId).HasColumnName("record_id");
            incoming.Property(i => i.Action).HasColumnName("action");
            incoming.Property(i => i.Data).HasColumnName("data");
            incoming.Property(i => i.Source).HasColumnName("source");
        });

        modelBuilder.Entity<SettingEntity>(setting =>
        {
            setting.ToTable("settings");
            setting.HasKey(s => s.Key);
            setting.Property(s => s.Key).HasColumnName("key");
            setting.Property(s => s.Value).HasColumnName("value");
        });

        modelBuilder.Entity<SyncLogEntity>(log =>
        {
            log.ToTable("sync_log");
            log.HasKey(l => l.Id);
            log.Property(l => l.Id).HasColumnName("id").ValueGeneratedOnAdd();
            log.Property(l => l.StartedAt).HasColumnName("started_at");
            log.Property(l => l.FinishedAt).HasColumnName("finished_at");
            log.Property(l => l.Outcome).HasColumnName("outcome");
            log.Property(l => l.ErrorCode).HasColumnName("error_code");
            log.Property(l => l.Message).HasColumnName("message");
            log.Property(l => l.Pushed).HasColumnName("pushed");
            log.Property(l => l.PulledCentral).HasColumnName("pulled_central");
            log.Property(l => l.PulledQueue).HasColumnName("pulled_queue");
            log.Property(l => l.Integrated).HasColumnName("integrated");
            log.Property(l => l.UnknownTables).HasColumnName("unknown_tables");
            log.Property(l => l.RequestSize).HasColumnName("request_size");
            log.HasIndex(l => l.StartedAt);
        });
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
