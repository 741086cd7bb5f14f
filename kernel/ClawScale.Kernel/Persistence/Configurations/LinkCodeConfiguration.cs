using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class LinkCodeConfiguration : IEntityTypeConfiguration<LinkCodeEntity>
{
    public void Configure(EntityTypeBuilder<LinkCodeEntity> b)
    {
        b.ToTable("link_codes");
        b.HasKey(x => x.CodeHash);
        b.Property(x => x.CodeHash).HasMaxLength(64);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.HasOne<CustomerEntity>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
