using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Integrity;
using SiteSync.Central.Sites;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class IntegrityAuditConfiguration : IEntityTypeConfiguration<IntegrityAuditEntity>
{
    public void Configure(EntityTypeBuilder<IntegrityAuditEntity> audit)
    {
        audit.ToTable("integrity_audit");
        audit.HasKey(a => a.SiteId);
        audit.Property(a => a.SiteId).HasColumnName("site_id").ValueGeneratedNever();
        audit.Property(a => a.AuditId).HasColumnName("audit_id").HasMaxLength(36);
        audit.Property(a => a.CheckedAt).HasColumnName("checked_at");
        audit.Property(a => a.Matches).HasColumnName("matches");
        audit.Property(a => a.PendingPush).HasColumnName("pending_push");
        audit.Property(a => a.GroupsCompared).HasColumnName("groups_compared");
        audit.Property(a => a.SiteRecords).HasColumnName("site_records");
        audit.Property(a => a.CentralRecords).HasColumnName("central_records");
        audit.Property(a => a.DifferingGroups).HasColumnName("differing_groups");
        audit.Property(a => a.DifferenceCount).HasColumnName("difference_count");
        audit.Property(a => a.Differences).HasColumnName("differences");
        // A deleted site takes its audit with it (site ids are never reused, so a left-over row would be dead weight).
        audit.HasOne<SiteEntity>().WithMany().HasForeignKey(a => a.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
