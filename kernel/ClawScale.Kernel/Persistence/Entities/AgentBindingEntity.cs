namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>agent_bindings</c>: which agent answers a customer (per channel or default).</summary>
internal sealed class AgentBindingEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string AgentId { get; set; }
    public string? CustomerId { get; set; }
    public string? ChannelId { get; set; }
    public DateTime CreatedAt { get; set; }
}
