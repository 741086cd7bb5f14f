namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>external_identities</c>; (tenant, provider, identity_type, value) is unique.</summary>
internal sealed class ExternalIdentityEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string CustomerId { get; set; }
    public required string Provider { get; set; }
    public required string IdentityType { get; set; }
    public required string Value { get; set; }
    public DateTime CreatedAt { get; set; }
}
