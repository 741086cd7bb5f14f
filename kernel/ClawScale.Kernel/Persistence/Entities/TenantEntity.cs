namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>tenants</c>: the isolation boundary.</summary>
internal sealed class TenantEntity
{
    public required string Id { get; set; }
    public required string Slug { get; set; }
    public required string DisplayName { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
