using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<ConversationEntity>
{
    public void Configure(EntityTypeBuilder<ConversationEntity> b)
    {
        b.ToTable("conversations");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.ChannelId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.Property(x => x.DeliveryRouteId).HasMaxLength(36);
        b.Property(x => x.ExternalChatId).HasMaxLength(256);
        b.Property(x => x.ExternalThreadId).HasMaxLength(256);
        b.HasIndex(x => new { x.ChannelId, x.ExternalChatId, x.ExternalThreadId, x.CustomerId }).IsUnique();
        b.HasIndex(x => new { x.TenantId, x.CustomerId });
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChannelEntity>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CustomerEntity>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
