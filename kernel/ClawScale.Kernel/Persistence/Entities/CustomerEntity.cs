namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>customers</c>: an end user's account within a tenant.</summary>
internal sealed class CustomerEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public string DisplayName { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
