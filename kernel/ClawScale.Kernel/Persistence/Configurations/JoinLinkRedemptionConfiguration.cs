using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClawScale.Kernel.Persistence.Configurations;

internal sealed class JoinLinkRedemptionConfiguration : IEntityTypeConfiguration<JoinLinkRedemptionEntity>
{
    public void Configure(EntityTypeBuilder<JoinLinkRedemptionEntity> b)
    {
        b.ToTable("join_link_redemptions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(36);
        b.Property(x => x.TenantId).HasMaxLength(36);
        b.Property(x => x.JoinLinkId).HasMaxLength(36);
        b.Property(x => x.ExternalIdentityId).HasMaxLength(36);
        b.Property(x => x.CustomerId).HasMaxLength(36);
        b.Property(x => x.TurnId).HasMaxLength(36);
        b.HasIndex(x => new { x.JoinLinkId, x.ExternalIdentityId }).IsUnique();
        b.HasIndex(x => x.ExternalIdentityId);
        b.HasOne<JoinLinkEntity>().WithMany().HasForeignKey(x => x.JoinLinkId).OnDelete(DeleteBehavior.Cascade);
        // Named explicitly: the conventional name is longer than PostgreSQL's 63-character identifiers.
        b.HasOne<ExternalIdentityEntity>().WithMany().HasForeignKey(x => x.ExternalIdentityId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_join_link_redemptions_external_identity_id");
    }
}
