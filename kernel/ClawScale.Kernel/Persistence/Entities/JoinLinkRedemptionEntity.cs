namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>
/// Row of <c>join_link_redemptions</c>: one sender's external identity tied to a customer through a join link.
/// (join_link_id, external_identity_id) is unique, which makes redeeming the same code twice (a re-run turn, a second
/// <c>/start</c>) use the link only once.
/// </summary>
internal sealed class JoinLinkRedemptionEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string JoinLinkId { get; set; }
    public required string ExternalIdentityId { get; set; }

    /// <summary>The customer the identity was tied to.</summary>
    public required string CustomerId { get; set; }

    /// <summary>The turn of the message that carried the code.</summary>
    public required string TurnId { get; set; }

    public DateTime CreatedAt { get; set; }
}
