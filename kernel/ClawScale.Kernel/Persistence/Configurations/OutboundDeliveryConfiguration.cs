using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class OutboundDeliveryConfiguration : IEntityTypeConfiguration<OutboundDeliveryEntity>
{
    public void Configure(EntityTypeBuilder<OutboundDeliveryEntity> b)
    {
        b.ToTable("outbound_deliveries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.ChannelId).HasMaxLength(36);
        b.Property(x => x.DeliveryRouteId).HasMaxLength(36);
        b.Property(x => x.ConversationId).HasMaxLength(36);
        b.Property(x => x.TurnId).HasMaxLength(36);
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.Property(x => x.PayloadHash).HasMaxLength(64);
        b.Property(x => x.ClaimedBy).HasMaxLength(64);
        b.Property(x => x.ProviderMessageId).HasMaxLength(256);
        b.Property(x => x.ReplyToPlatformMessageId).HasMaxLength(256);
        // A W3C traceparent (version 00) is exactly 55 characters (migration 0003).
        b.Property(x => x.TraceParent).HasMaxLength(55);
        b.HasIndex(x => new { x.TenantId, x.IdempotencyKey }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.DeliveryRouteId, x.CreatedAt });
        // Partial indexes over unfinished deliveries (pending, sending, failed) for the DELIVER claim (migration 0002).
        b.HasIndex(x => new { x.NextAttemptAt, x.Id }, "ix_outbound_deliveries_unfinished_next_attempt_at_id").HasFilter("status IN (1, 2, 4)");
        b.HasIndex(x => new { x.DeliveryRouteId, x.CreatedAt }, "ix_outbound_deliveries_unfinished_delivery_route_id_created_at").HasFilter("status IN (1, 2, 4)");
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<DeliveryRouteEntity>().WithMany().HasForeignKey(x => x.DeliveryRouteId).OnDelete(DeleteBehavior.Cascade);
    }
}
