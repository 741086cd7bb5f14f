namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Stored API key scope (values match <c>clawscale.v1.ApiKeyScope</c>).</summary>
internal enum ApiKeyScopeValue
{
    PlatformAdmin = 1,
    TenantAdmin = 2,
    Runtime = 3,
}
