using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SiteSync.Central.Support;

namespace SiteSync.Central.Storage.Configurations;

internal sealed class SupportContractConfiguration : IEntityTypeConfiguration<SupportContractEntity>
{
    public void Configure(EntityTypeBuilder<SupportContractEntity> contract)
    {
        contract.ToTable("support_contract");
        contract.HasKey(c => c.Id);
        contract.Property(c => c.Id).HasColumnName("id");
        contract.Property(c => c.FunderName).HasColumnName("funder_name").HasMaxLength(200);
        contract.Property(c => c.FunderKey).HasColumnName("funder_key").HasMaxLength(200);
        contract.Property(c => c.SiteName).HasColumnName("site_name").HasMaxLength(200);
        contract.Property(c => c.SiteKey).HasColumnName("site_key").HasMaxLength(200);
        contract.Property(c => c.LicenseCode).HasColumnName("license_code").HasMaxLength(200);
        contract.Property(c => c.LicensedUsers).HasColumnName("licensed_users");
        contract.Property(c => c.SupportStart).HasColumnName("support_start");
        contract.Property(c => c.SupportEnd).HasColumnName("support_end");
        contract.HasIndex(c => c.SiteKey).IsUnique();
        contract.HasIndex(c => c.FunderKey);
    }
}
