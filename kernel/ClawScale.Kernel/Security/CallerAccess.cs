using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using Grpc.Core;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Scope checks and tenant resolution for gRPC handlers. A tenant-scoped key never learns whether another tenant's
/// resource exists: such look-ups answer NOT_FOUND, exactly as for a missing resource.
/// </summary>
internal static class CallerAccess
{
    public static Caller GetCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(typeof(Caller), out var value) && value is Caller caller
            ? caller
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "The call was not authenticated."));

    /// <summary>Platform-admin or tenant-admin; runtime keys get PERMISSION_DENIED.</summary>
    public static Caller RequireAdmin(this ServerCallContext context)
    {
        var caller = context.GetCaller();
        return caller.Scope is ApiKeyScopeValue.PlatformAdmin or ApiKeyScopeValue.TenantAdmin
            ? caller
            : throw GrpcErrors.PermissionDenied($"{context.Method} needs a platform-admin or tenant-admin API key; this key has scope 'runtime'.");
    }

    public static Caller RequirePlatformAdmin(this ServerCallContext context)
    {
        var caller = context.GetCaller();
        return caller.IsPlatformAdmin
            ? caller
            : throw GrpcErrors.PermissionDenied($"{context.Method} needs a platform-admin API key.");
    }

    /// <summary>
    /// The tenant a request addresses. Platform-admin: <paramref name="requested"/> is required. Tenant-scoped keys:
    /// empty means the key's tenant; any other tenant answers NOT_FOUND.
    /// </summary>
    public static string ResolveTenant(this Caller caller, string? requested, string field = "tenant_id")
    {
        if (caller.IsPlatformAdmin)
        {
            return string.IsNullOrWhiteSpace(requested)
                ? throw GrpcErrors.InvalidArgument(field, "is required with a platform-admin API key (tenant-scoped keys default to their own tenant).")
                : requested.Trim();
        }

        if (string.IsNullOrWhiteSpace(requested) || string.Equals(requested.Trim(), caller.TenantId, StringComparison.Ordinal))
            return caller.TenantId!;
        throw GrpcErrors.NotFound("tenant", requested);
    }

    /// <summary>Whether the caller may see resources of <paramref name="tenantId"/>.</summary>
    public static bool CanSee(this Caller caller, string? tenantId) =>
        caller.IsPlatformAdmin || (tenantId is not null && string.Equals(caller.TenantId, tenantId, StringComparison.Ordinal));
}
