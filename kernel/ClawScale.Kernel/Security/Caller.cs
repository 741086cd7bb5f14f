using ClawScale.Kernel.Persistence.Entities;

namespace ClawScale.Kernel.Security;

/// <summary>The authenticated API key behind a gRPC call.</summary>
/// <param name="KeyId">The key's id.</param>
/// <param name="Scope">What the key may do.</param>
/// <param name="TenantId">The key's tenant; null for platform-admin keys.</param>
/// <param name="AgentIds">Runtime keys: the agents the key may serve.</param>
internal sealed record Caller(string KeyId, ApiKeyScopeValue Scope, string? TenantId, IReadOnlyList<string> AgentIds)
{
    public bool IsPlatformAdmin => Scope == ApiKeyScopeValue.PlatformAdmin;
}
