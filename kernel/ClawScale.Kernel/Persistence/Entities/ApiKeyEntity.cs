namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>api_keys</c>. The secret is stored as its SHA-256 hash only.</summary>
internal sealed class ApiKeyEntity
{
    public required string Id { get; set; }
    /// <summary>Null for platform-admin keys.</summary>
    public string? TenantId { get; set; }
    public required string Name { get; set; }
    public ApiKeyScopeValue Scope { get; set; }
    /// <summary>Runtime keys: the agents the key may serve, comma-separated.</summary>
    public string AgentIds { get; set; } = string.Empty;
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
