using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class ChannelListenerCheckpointConfiguration : IEntityTypeConfiguration<ChannelListenerCheckpointEntity>
{
    public void Configure(EntityTypeBuilder<ChannelListenerCheckpointEntity> b)
    {
        b.ToTable("channel_listener_checkpoints");
        b.HasKey(x => x.ChannelId);
        b.Property(x => x.ChannelId).HasMaxLength(36);
        b.HasOne<ChannelEntity>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
