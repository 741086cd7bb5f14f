using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class AgentBindingConfiguration : IEntityTypeConfiguration<AgentBindingEntity>
{
    public void Configure(EntityTypeBuilder<AgentBindingEntity> b)
    {
        b.ToTable("agent_bindings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.AgentId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.Property(x => x.ChannelId).HasMaxLength(36);
        b.HasIndex(x => new { x.TenantId, x.CustomerId, x.ChannelId });
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AgentEntity>().WithMany().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CustomerEntity>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChannelEntity>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
