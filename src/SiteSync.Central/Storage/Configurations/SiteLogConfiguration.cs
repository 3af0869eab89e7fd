using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Logs;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class SiteLogConfiguration : IEntityTypeConfiguration<SiteLogEntity>
{
    public void Configure(EntityTypeBuilder<SiteLogEntity> log)
    {
        log.ToTable("site_log");
        log.HasKey(l => l.Id);
        log.Property(l => l.Id).HasColumnName("id");
        log.Property(l => l.SiteId).HasColumnName("site_id");
        log.Property(l => l.At).HasColumnName("at");
        log.Property(l => l.Level).HasColumnName("level").HasMaxLength(20);
        log.Property(l => l.Event).HasColumnName("event").HasMaxLength(60);
        log.Property(l => l.Message).HasColumnName("message").HasMaxLength(2000);
        log.Property(l => l.User).HasColumnName("username").HasMaxLength(100);
        log.HasIndex(l => new { l.SiteId, l.At });
        // The fleet log reads a date range across all sites, newest first.
        log.HasIndex(l => l.At);
    }
}
