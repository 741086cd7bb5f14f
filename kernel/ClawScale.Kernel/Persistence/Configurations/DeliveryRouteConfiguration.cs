using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class DeliveryRouteConfiguration : IEntityTypeConfiguration<DeliveryRouteEntity>
{
    public void Configure(EntityTypeBuilder<DeliveryRouteEntity> b)
    {
        b.ToTable("delivery_routes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.ChannelId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.Property(x => x.ExternalChatId).HasMaxLength(256);
        b.Property(x => x.ExternalThreadId).HasMaxLength(256);
        b.Property(x => x.ConversationKey).HasMaxLength(200);
        // One inbound route per (channel, chat, thread); runtime-bound routes (with a key) may repeat an address.
        b.HasIndex(x => new { x.ChannelId, x.ExternalChatId, x.ExternalThreadId }).IsUnique().HasFilter("conversation_key IS NULL");
        b.HasIndex(x => new { x.TenantId, x.ConversationKey }).IsUnique().HasFilter("conversation_key IS NOT NULL");
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChannelEntity>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
