using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Records;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class RecordConfiguration : IEntityTypeConfiguration<RecordEntity>
{
    public void Configure(EntityTypeBuilder<RecordEntity> record)
    {
        record.ToTable("record");
        record.HasKey(r => new { r.TableName, r.RecordId });
        record.Property(r => r.TableName).HasColumnName("table_name").HasMaxLength(100);
        record.Property(r => r.RecordId).HasColumnName("record_id").HasMaxLength(200);
        record.Property(r => r.Data).HasColumnName("data");
        record.Property(r => r.StoreId).HasColumnName("store_id").HasMaxLength(200);
        record.Property(r => r.ParentId).HasColumnName("parent_id").HasMaxLength(200);
        record.Property(r => r.ToStoreId).HasColumnName("to_store_id").HasMaxLength(200);
        record.Property(r => r.SubjectId).HasColumnName("subject_id").HasMaxLength(200);
        record.Property(r => r.Seq).HasColumnName("seq");
        record.Property(r => r.IsDeleted).HasColumnName("is_deleted");
        record.Property(r => r.SourceSiteId).HasColumnName("source_site_id");
        record.Property(r => r.UpdatedAt).HasColumnName("updated_at");
        record.HasIndex(r => r.Seq).IsUnique();
        // Serves store deliveries: WHERE store_id = ? AND is_deleted = false AND seq in (cursor, upper], counted and paged from the index.
        record.HasIndex(r => new { r.StoreId, r.IsDeleted, r.Seq });
        // Routing reads (Routing/, Records/RecordStore): a store's incoming transfers and messages, a header's lines, the
        // records about a patient or prescriber and the joins that make them visible. Partial: most records name no parent,
        // counterparty store or subject, and every read of these columns asks for a value (= or IN), so null entries would only
        // cost each insert of a push three index writes (bench push on PostgreSQL).
        record.HasIndex(r => r.ToStoreId).HasFilter("to_store_id IS NOT NULL");
        record.HasIndex(r => new { r.ParentId, r.TableName }).HasFilter("parent_id IS NOT NULL");
        record.HasIndex(r => new { r.SubjectId, r.TableName }).HasFilter("subject_id IS NOT NULL");
    }
}

internal sealed class ChangeLogConfiguration : IEntityTypeConfiguration<ChangeLogEntity>
{
    public void Configure(EntityTypeBuilder<ChangeLogEntity> log)
    {
        log.ToTable("central_change_log");
        log.HasKey(c => c.Id);
        log.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
        log.Property(c => c.TableName).HasColumnName("table_name").HasMaxLength(100);
        log.Property(c => c.RecordId).HasColumnName("record_id").HasMaxLength(200);
        log.Property(c => c.Action).HasColumnName("action").HasMaxLength(20);
        log.Property(c => c.Data).HasColumnName("data");
    }
}

internal sealed class CounterConfiguration : IEntityTypeConfiguration<CounterEntity>
{
    public void Configure(EntityTypeBuilder<CounterEntity> counter)
    {
        counter.ToTable("counter");
        counter.HasKey(c => c.Name);
        counter.Property(c => c.Name).HasColumnName("name").HasMaxLength(50);
        counter.Property(c => c.Value).HasColumnName("value");
        counter.HasData(
            new CounterEntity { Name = Counters.RecordSeq, Value = 0 },
            new CounterEntity { Name = Counters.ChangeLogId, Value = 0 });
    }
}
