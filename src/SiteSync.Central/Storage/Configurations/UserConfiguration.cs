using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Users;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<UserEntity>
{
    public void Configure(EntityTypeBuilder<UserEntity> user)
    {
        user.ToTable("app_user");
        user.HasKey(u => u.Id);
        user.Property(u => u.Id).HasColumnName("id");
        user.Property(u => u.Username).HasColumnName("username").HasMaxLength(100);
        user.Property(u => u.UsernameKey).HasColumnName("username_key").HasMaxLength(100);
        user.HasIndex(u => u.UsernameKey).IsUnique();
        user.Property(u => u.PasswordHash).HasColumnName("password_hash").HasMaxLength(200);
        user.Property(u => u.CanEditSyncSettings).HasColumnName("can_edit_sync_settings");
        user.Property(u => u.CredentialVersion).HasColumnName("credential_version");
        user.Property(u => u.CreatedAt).HasColumnName("created_at");
        user.Property(u => u.IsDisabled).HasColumnName("is_disabled");
    }
}
