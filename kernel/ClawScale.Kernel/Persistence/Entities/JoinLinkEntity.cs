namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>
/// Row of <c>join_links</c>: an onboarding link of a shared channel (AdminService.CreateJoinLink). The URL token and the
/// start code are random secrets stored only as SHA-256 hashes (32 bytes each, both unique).
/// </summary>
internal sealed class JoinLinkEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ChannelId { get; set; }

    /// <summary>The customer senders are tied to; null when each sender gets a new customer.</summary>
    public string? CustomerId { get; set; }

    /// <summary>Admin-facing label, 0 to 200 characters; names new customers.</summary>
    public string Label { get; set; } = string.Empty;

    /// <summary>An https URL the page offers to open first, or empty.</summary>
    public string InviteUrl { get; set; } = string.Empty;

    /// <summary>SHA-256 of the token in <c>/join/{token}</c>.</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>SHA-256 of the start code.</summary>
    public required byte[] CodeHash { get; set; }

    /// <summary>How many senders may redeem the code; 0 is unlimited until expiry.</summary>
    public int MaxUses { get; set; }

    /// <summary>How many senders have redeemed the code.</summary>
    public int UseCount { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
