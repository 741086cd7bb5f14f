using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class TurnConfiguration : IEntityTypeConfiguration<TurnEntity>
{
    public void Configure(EntityTypeBuilder<TurnEntity> b)
    {
        b.ToTable("turns");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.ConversationId).HasMaxLength(36);
        b.Property(x => x.AgentId).HasMaxLength(36);
        b.Property(x => x.InboundEventId).HasMaxLength(36);
        b.Property(x => x.MessageId).HasMaxLength(36);
        b.Property(x => x.ClaimedBy).HasMaxLength(64);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.ConversationId, x.CreatedAt });
        b.HasOne<ConversationEntity>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
