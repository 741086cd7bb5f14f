namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>agents</c>: an agent plugin instance or an external runtime.</summary>
internal sealed class AgentEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string ConfigJson { get; set; } = "{}";
    public string CredentialsCiphertext { get; set; } = string.Empty;
    public string CredentialKeys { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
