using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class InboundEventConfiguration : IEntityTypeConfiguration<InboundEventEntity>
{
    public void Configure(EntityTypeBuilder<InboundEventEntity> b)
    {
        b.ToTable("inbound_events");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.ChannelId).HasMaxLength(36);
        b.Property(x => x.ConversationId).HasMaxLength(36);
        b.Property(x => x.TurnId).HasMaxLength(36);
        b.Property(x => x.ProviderMessageId).HasMaxLength(256);
        b.HasIndex(x => new { x.ChannelId, x.ProviderMessageId }).IsUnique();
        b.HasOne<TenantEntity>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChannelEntity>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
