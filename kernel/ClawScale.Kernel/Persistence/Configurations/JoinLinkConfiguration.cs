using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class JoinLinkConfiguration : IEntityTypeConfiguration<JoinLinkEntity>
{
    public void Configure(EntityTypeBuilder<JoinLinkEntity> b)
    {
        b.ToTable("join_links");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.ChannelId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.Property(x => x.Label).HasMaxLength(200);
        b.Property(x => x.InviteUrl).HasMaxLength(2000);
        b.Property(x => x.TokenHash).HasMaxLength(32);
        b.Property(x => x.CodeHash).HasMaxLength(32);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.HasIndex(x => x.CodeHash).IsUnique();
        b.HasIndex(x => new { x.TenantId, x.ChannelId });
        b.HasIndex(x => x.ChannelId);
        b.HasIndex(x => x.CustomerId);
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChannelEntity>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CustomerEntity>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
