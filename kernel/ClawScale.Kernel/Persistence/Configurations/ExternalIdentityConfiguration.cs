using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class ExternalIdentityConfiguration : IEntityTypeConfiguration<ExternalIdentityEntity>
{
    public void Configure(EntityTypeBuilder<ExternalIdentityEntity> b)
    {
        b.ToTable("external_identities");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.Property(x => x.Provider).HasMaxLength(64);
        b.Property(x => x.IdentityType).HasMaxLength(64);
        b.Property(x => x.Value).HasMaxLength(512);
        b.HasIndex(x => new { x.TenantId, x.Provider, x.IdentityType, x.Value }).IsUnique();
        b.HasIndex(x => x.CustomerId);
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CustomerEntity>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
