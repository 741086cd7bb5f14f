namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>link_codes</c>: a short-lived code issued by <c>/link</c> to join chat identities to one Customer.</summary>
internal sealed class LinkCodeEntity
{
    /// <summary>SHA-256 hex of "{tenant}:{code}".</summary>
    public required string CodeHash { get; set; }
    public required string TenantId { get; set; }
    public required string CustomerId { get; set; }
    public DateTime ExpiresAt { get; set; }
}
