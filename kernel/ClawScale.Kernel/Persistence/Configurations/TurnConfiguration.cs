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
        // A W3C traceparent (version 00) is exactly 55 characters (migration 0003).
        b.Property(x => x.TraceParent).HasMaxLength(55);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.ConversationId, x.CreatedAt });
        // Partial indexes over unfinished turns (pending, running, awaiting runtime) for the DISPATCH claim: they stay as
        // small as the work in flight however many finished turns the table holds (migration 0002).
        b.HasIndex(x => new { x.CreatedAt, x.Id }, "ix_turns_unfinished_created_at_id").HasFilter("status IN (1, 2, 3)");
        b.HasIndex(x => new { x.ConversationId, x.CreatedAt }, "ix_turns_unfinished_conversation_id_created_at").HasFilter("status IN (1, 2, 3)");
        b.HasOne<ConversationEntity>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
