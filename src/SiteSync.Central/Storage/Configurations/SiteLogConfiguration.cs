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
        log.Property(l => l.IdleCycles).HasColumnName("idle_cycles");
        // The log tab (one site, a date range, newest first) and the end of every cycle (the site's latest line).
        log.HasIndex(l => new { l.SiteId, l.At });
        // The log tab filtered by level over a long range: errors of a year without walking a year of idle lines.
        log.HasIndex(l => new { l.SiteId, l.Level, l.At });
        // The fleet log reads a date range across all sites, newest first; retention deletes by age in small batches.
        log.HasIndex(l => l.At);
    }
}
