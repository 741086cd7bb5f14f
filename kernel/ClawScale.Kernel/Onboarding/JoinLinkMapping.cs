using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Onboarding;

/// <summary>Join link entity → API message; the token and code hashes never leave.</summary>
internal static class JoinLinkMapping
{
    /// <summary>The API message of <paramref name="e"/>, with its status at <paramref name="now"/>.</summary>
    public static JoinLink ToProto(this JoinLinkEntity e, DateTime now)
    {
        var link = new JoinLink
        {
            Id = e.Id,
            TenantId = e.TenantId,
            ChannelId = e.ChannelId,
            CustomerId = e.CustomerId ?? string.Empty,
            Label = e.Label,
            InviteUrl = e.InviteUrl,
            MaxUses = e.MaxUses,
            UseCount = e.UseCount,
            Status = JoinLinkPolicy.StatusOf(e, now),
            CreateTime = ProtoMapping.Ts(e.CreatedAt),
            ExpireTime = ProtoMapping.Ts(e.ExpiresAt),
        };
        if (e.RevokedAt is { } revoked) link.RevokeTime = ProtoMapping.Ts(revoked);
        if (e.LastUsedAt is { } used) link.LastUsedTime = ProtoMapping.Ts(used);
        return link;
    }
}
