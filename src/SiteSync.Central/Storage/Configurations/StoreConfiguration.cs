using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Stores;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class StoreConfiguration : IEntityTypeConfiguration<StoreEntity>
{
    public void Configure(EntityTypeBuilder<StoreEntity> store)
    {
        store.ToTable("store");
        store.HasKey(s => s.Id);
        store.Property(s => s.Id).HasColumnName("id").HasMaxLength(200);
        store.Property(s => s.Code).HasColumnName("code").HasMaxLength(100);
        store.Property(s => s.Name).HasColumnName("name").HasMaxLength(200);
        store.Property(s => s.NameId).HasColumnName("name_id").HasMaxLength(200);
        store.Property(s => s.SiteId).HasColumnName("site_id");
        store.HasIndex(s => s.SiteId);
    }
}

internal sealed class StoreDepartureConfiguration : IEntityTypeConfiguration<StoreDepartureEntity>
{
    public void Configure(EntityTypeBuilder<StoreDepartureEntity> departure)
    {
        departure.ToTable("store_departure");
        departure.HasKey(d => new { d.SiteId, d.StoreId });
        departure.Property(d => d.SiteId).HasColumnName("site_id");
        departure.Property(d => d.StoreId).HasColumnName("store_id").HasMaxLength(200);
        departure.Property(d => d.DepartedAt).HasColumnName("departed_at");
    }
}
