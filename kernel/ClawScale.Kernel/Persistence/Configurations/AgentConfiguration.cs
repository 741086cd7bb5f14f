using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class AgentConfiguration : IEntityTypeConfiguration<AgentEntity>
{
    public void Configure(EntityTypeBuilder<AgentEntity> b)
    {
        b.ToTable("agents");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Kind).HasMaxLength(64);
        b.Property(x => x.CredentialKeys).HasMaxLength(2000);
        b.HasIndex(x => new { x.TenantId, x.Name }).IsUnique();
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
