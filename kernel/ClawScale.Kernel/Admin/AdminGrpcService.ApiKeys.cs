using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var name = RequestValidation.Required(request.Name, "name", 100);
        string? tenantId = null;
        var agentIds = new List<string>();
        switch (request.Scope)
        {
            case ApiKeyScope.PlatformAdmin:
                if (!caller.IsPlatformAdmin) throw GrpcErrors.PermissionDenied("Only a platform-admin key can create platform-admin keys.");
                if (!string.IsNullOrEmpty(request.TenantId)) throw GrpcErrors.InvalidArgument("tenant_id", "must be empty for platform-admin keys.");
                if (request.AgentIds.Count > 0) throw GrpcErrors.InvalidArgument("agent_ids", "must be empty for platform-admin keys.");
                break;
            case ApiKeyScope.TenantAdmin:
                tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
                if (request.AgentIds.Count > 0) throw GrpcErrors.InvalidArgument("agent_ids", "must be empty for tenant-admin keys.");
                break;
            case ApiKeyScope.Runtime:
                tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
                if (request.AgentIds.Count == 0) throw GrpcErrors.InvalidArgument("agent_ids", "runtime keys need at least one agent id.");
                for (var i = 0; i < request.AgentIds.Count; i++)
                {
                    var agentId = RequestValidation.Id(request.AgentIds[i], $"agent_ids[{i}]");
                    if (!await db.Agents.AnyAsync(a => a.Id == agentId && a.TenantId == tenantId, context.CancellationToken))
                        throw GrpcErrors.NotFound("agent", agentId);
                    agentIds.Add(agentId);
                }

                break;
            default:
                throw GrpcErrors.InvalidArgument("scope", "is required: API_KEY_SCOPE_PLATFORM_ADMIN, API_KEY_SCOPE_TENANT_ADMIN or API_KEY_SCOPE_RUNTIME.");
        }

        var secret = ApiKeySecrets.NewSecret(generator);
        var key = new ApiKeyEntity
        {
            Id = NewId(),
            TenantId = tenantId,
            Name = name,
            Scope = (ApiKeyScopeValue)(int)request.Scope,
            AgentIds = string.Join(',', agentIds.Distinct(StringComparer.Ordinal)),
            Prefix = ApiKeySecrets.DisplayPrefix(secret),
            SecretHash = ApiKeySecrets.Hash(secret),
            CreatedAt = Now,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(context.CancellationToken);
        return new CreateApiKeyResponse { ApiKey = key.ToProto(), Secret = secret };
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var query = db.ApiKeys.AsQueryable();
        if (caller.IsPlatformAdmin && string.IsNullOrEmpty(request.TenantId))
        {
            query = query.Where(k => k.TenantId == null);
        }
        else
        {
            var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
            query = query.Where(k => k.TenantId == tenantId);
        }

        if (!request.IncludeRevoked) query = query.Where(k => k.RevokedAt == null);
        var rows = await query.OrderBy(k => k.Id).ToListAsync(context.CancellationToken);
        var response = new ListApiKeysResponse();
        response.ApiKeys.AddRange(rows.Select(k => k.ToProto()));
        return response;
    }

    public override async Task<RevokeApiKeyResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var id = RequestValidation.Id(request.ApiKeyId, "api_key_id");
        var key = await db.ApiKeys.AsTracking().FirstOrDefaultAsync(k => k.Id == id, context.CancellationToken);
        if (key is null || (key.TenantId is null ? !caller.IsPlatformAdmin : !caller.CanSee(key.TenantId)))
            throw GrpcErrors.NotFound("API key", id);
        if (key.RevokedAt is null)
        {
            if (key.Scope == ApiKeyScopeValue.PlatformAdmin &&
                !await db.ApiKeys.AnyAsync(k => k.Id != key.Id && k.Scope == ApiKeyScopeValue.PlatformAdmin && k.RevokedAt == null, context.CancellationToken))
                throw GrpcErrors.FailedPrecondition("This is the last active platform-admin key; create another platform-admin key before revoking it.");
            key.RevokedAt = Now;
            await db.SaveChangesAsync(context.CancellationToken);
        }

        // Rejected from the next call on this instance and its open streams end now; other instances drop it, and end
        // its streams, within Security:ApiKeyCacheTtl.
        authenticator.Invalidate(key.Id, key.SecretHash);

        return new RevokeApiKeyResponse { ApiKey = key.ToProto() };
    }
}
