using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<ChannelEntity>
{
    public void Configure(EntityTypeBuilder<ChannelEntity> b)
    {
        b.ToTable("channels");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.Property(x => x.Kind).HasMaxLength(64);
        b.Property(x => x.DisplayName).HasMaxLength(200);
        b.Property(x => x.CredentialKeys).HasMaxLength(2000);
        b.HasIndex(x => new { x.TenantId, x.Kind });
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
