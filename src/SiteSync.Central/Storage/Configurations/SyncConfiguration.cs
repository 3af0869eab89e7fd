using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Sync;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class QueueConfiguration : IEntityTypeConfiguration<QueueEntity>
{
    public void Configure(EntityTypeBuilder<QueueEntity> queue)
    {
        queue.ToTable("sync_out");
        queue.HasKey(q => q.Id);
        queue.Property(q => q.Id).HasColumnName("id");
        queue.Property(q => q.SiteId).HasColumnName("site_id");
        queue.Property(q => q.TableName).HasColumnName("table_name").HasMaxLength(100);
        queue.Property(q => q.RecordId).HasColumnName("record_id").HasMaxLength(200);
        queue.Property(q => q.Action).HasColumnName("action").HasMaxLength(20);
        queue.Property(q => q.CreatedAt).HasColumnName("created_at");
        queue.HasIndex(q => new { q.SiteId, q.TableName, q.RecordId }).IsUnique();
        queue.HasIndex(q => new { q.SiteId, q.Id });
    }
}

internal sealed class SnapshotConfiguration : IEntityTypeConfiguration<SnapshotEntity>
{
    public void Configure(EntityTypeBuilder<SnapshotEntity> snapshot)
    {
        snapshot.ToTable("site_snapshot");
        snapshot.HasKey(s => s.Id);
        snapshot.Property(s => s.Id).HasColumnName("id");
        snapshot.Property(s => s.SiteId).HasColumnName("site_id");
        snapshot.Property(s => s.StoreId).HasColumnName("store_id").HasMaxLength(200);
        snapshot.Property(s => s.UpperSeq).HasColumnName("upper_seq");
        snapshot.Property(s => s.CursorSeq).HasColumnName("cursor_seq");
        snapshot.Property(s => s.Remaining).HasColumnName("remaining");
        snapshot.Property(s => s.CreatedAt).HasColumnName("created_at");
        snapshot.HasIndex(s => new { s.SiteId, s.StoreId }).IsUnique();
    }
}

internal sealed class PushBufferConfiguration : IEntityTypeConfiguration<PushBufferEntity>
{
    public void Configure(EntityTypeBuilder<PushBufferEntity> buffer)
    {
        buffer.ToTable("push_buffer");
        buffer.HasKey(b => new { b.SiteId, b.TableName, b.RecordId });
        buffer.Property(b => b.SiteId).HasColumnName("site_id");
        buffer.Property(b => b.TableName).HasColumnName("table_name").HasMaxLength(100);
        buffer.Property(b => b.RecordId).HasColumnName("record_id").HasMaxLength(200);
        buffer.Property(b => b.Action).HasColumnName("action").HasMaxLength(20);
        buffer.Property(b => b.Data).HasColumnName("data");
        buffer.Property(b => b.ReceivedSeq).HasColumnName("received_seq");
        buffer.Property(b => b.SourceSeq).HasColumnName("source_seq");
        buffer.Property(b => b.ReceivedAt).HasColumnName("received_at");
    }
}
