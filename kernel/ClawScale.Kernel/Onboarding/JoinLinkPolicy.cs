using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Onboarding;

/// <summary>Limits and state of join links (AdminService.CreateJoinLink; see admin.proto).</summary>
internal static class JoinLinkPolicy
{
    /// <summary>The lifetime when the request gives none: 7 days.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    /// <summary>The shortest lifetime: 1 minute.</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The longest lifetime: 90 days.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(90);

    /// <summary>The most uses a link may allow (0 is unlimited until expiry).</summary>
    public const int MaxUses = 1_000_000;

    /// <summary>The longest label, in characters.</summary>
    public const int MaxLabelLength = 200;

    /// <summary>The longest invite URL, in characters.</summary>
    public const int MaxInviteUrlLength = 2000;

    /// <summary>The channel config key of an invite or install URL the page offers when the link has none.</summary>
    public const string InviteUrlConfigKey = "invite_url";

    /// <summary>Whether the link works at <paramref name="now"/>, and if not why (revoked before expired before used up).</summary>
    public static JoinLinkStatus StatusOf(JoinLinkEntity link, DateTime now) =>
        link.RevokedAt is not null ? JoinLinkStatus.Revoked
        : link.ExpiresAt <= now ? JoinLinkStatus.Expired
        : link.MaxUses > 0 && link.UseCount >= link.MaxUses ? JoinLinkStatus.UsedUp
        : JoinLinkStatus.Active;
}
