using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Sites;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<SiteEntity>
{
    public void Configure(EntityTypeBuilder<SiteEntity> site)
    {
        site.ToTable("site");
        site.HasKey(s => s.Id);
        site.Property(s => s.Id).HasColumnName("id");
        site.Property(s => s.Uid).HasColumnName("uid").HasMaxLength(64);
        site.Property(s => s.Code).HasColumnName("code").HasMaxLength(100);
        site.Property(s => s.Name).HasColumnName("name").HasMaxLength(200);
        site.Property(s => s.NameKey).HasColumnName("name_key").HasMaxLength(200);
        site.HasIndex(s => s.NameKey).IsUnique();
        site.Property(s => s.PasswordHash).HasColumnName("password_hash").HasMaxLength(200);
        site.Property(s => s.CredentialVersion).HasColumnName("credential_version");
        site.Property(s => s.HardwareId).HasColumnName("hardware_id").HasMaxLength(200);
        site.Property(s => s.Type).HasColumnName("type").HasMaxLength(20);
        site.Property(s => s.AppName).HasColumnName("app_name").HasMaxLength(100);
        site.Property(s => s.AppVersion).HasColumnName("app_version").HasMaxLength(50);
        site.Property(s => s.LastSyncedAt).HasColumnName("last_synced_at");
        site.Property(s => s.LastConnectedAt).HasColumnName("last_connected_at");
        site.Property(s => s.FailedLoginCount).HasColumnName("failed_login_count");
        site.Property(s => s.IsBlocked).HasColumnName("is_blocked");
        site.Property(s => s.IsActiveOnThisDatafile).HasColumnName("is_active_on_this_datafile");
        site.Property(s => s.IsOmSupplyCentralServer).HasColumnName("is_om_central_server");
        site.Property(s => s.OmSupplyCentralServerUrl).HasColumnName("om_central_server_url").HasMaxLength(500);
        site.Property(s => s.InitialisationStatus).HasColumnName("initialisation_status").HasMaxLength(20);
        site.Property(s => s.IntegrationStatus).HasColumnName("integration_status").HasMaxLength(40);
        site.Property(s => s.FunderName).HasColumnName("funder_name").HasMaxLength(200);
        site.Property(s => s.CreatedAt).HasColumnName("created_at");
        site.Property(s => s.CycleStartedAt).HasColumnName("cycle_started_at");
        site.Property(s => s.CyclePushed).HasColumnName("cycle_pushed");
        site.Property(s => s.CyclePulledCentral).HasColumnName("cycle_pulled_central");
        site.Property(s => s.CyclePulledQueue).HasColumnName("cycle_pulled_queue");
        site.Property(s => s.LastErrorAt).HasColumnName("last_error_at");
        site.Property(s => s.CentralCursorReached).HasColumnName("central_cursor_reached").HasDefaultValue(0L);
        site.Property(s => s.LastErrorEvent).HasColumnName("last_error_event").HasMaxLength(60);
        site.Property(s => s.LastErrorMessage).HasColumnName("last_error_message").HasMaxLength(SiteSync.Central.Logs.SiteFailureFacts.MaxMessageLength);
        site.Property(s => s.AuthFailureStreak).HasColumnName("auth_failure_streak");
        site.Property(s => s.LastAuthFailureAt).HasColumnName("last_auth_failure_at");
        site.Ignore(s => s.HasSynced);
        site.HasMany(s => s.Stores).WithOne(s => s.Site).HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}
