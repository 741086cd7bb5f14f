using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override async Task<CreateTenantResponse> CreateTenant(CreateTenantRequest request, ServerCallContext context)
    {
        context.RequirePlatformAdmin();
        var slug = RequestValidation.Slug(request.Slug, "slug");
        var name = RequestValidation.Required(request.DisplayName, "display_name", 200);
        if (await db.Tenants.AnyAsync(t => t.Slug == slug, context.CancellationToken))
            throw GrpcErrors.AlreadyExists($"A tenant with slug '{slug}' already exists; choose another slug.");
        var tenant = new TenantEntity { Id = NewId(), Slug = slug, DisplayName = name, CreatedAt = Now, UpdatedAt = Now };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(context.CancellationToken);
        return new CreateTenantResponse { Tenant = tenant.ToProto() };
    }

    public override async Task<GetTenantResponse> GetTenant(GetTenantRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenant = await FindTenantAsync(caller, request.TenantId, context.CancellationToken, tracking: false);
        return new GetTenantResponse { Tenant = tenant.ToProto() };
    }

    public override async Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var size = Paging.Size(request.PageSize);
        var after = Paging.After(request.PageToken);
        var query = db.Tenants.AsQueryable();
        if (!caller.IsPlatformAdmin) query = query.Where(t => t.Id == caller.TenantId);
        if (after is not null) query = query.Where(t => string.Compare(t.Id, after) > 0);
        var rows = await query.OrderBy(t => t.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListTenantsResponse { NextPageToken = Paging.Next(rows, size, t => t.Id) };
        response.Tenants.AddRange(rows.Select(t => t.ToProto()));
        return response;
    }

    public override async Task<UpdateTenantResponse> UpdateTenant(UpdateTenantRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenant = await FindTenantAsync(caller, request.TenantId, context.CancellationToken, tracking: true);
        if (request.HasDisplayName) tenant.DisplayName = RequestValidation.Required(request.DisplayName, "display_name", 200);
        tenant.UpdatedAt = Now;
        await db.SaveChangesAsync(context.CancellationToken);
        return new UpdateTenantResponse { Tenant = tenant.ToProto() };
    }

    public override async Task<DeleteTenantResponse> DeleteTenant(DeleteTenantRequest request, ServerCallContext context)
    {
        var caller = context.RequirePlatformAdmin();
        var tenant = await FindTenantAsync(caller, request.TenantId, context.CancellationToken, tracking: false);
        // The tenant's API keys go with it (cascade): forget them on this instance too.
        var keys = await db.ApiKeys.Where(k => k.TenantId == tenant.Id).Select(k => new { k.Id, k.SecretHash }).ToListAsync(context.CancellationToken);
        await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteDeleteAsync(context.CancellationToken);
        // Their open streams (RuntimeService.Connect, WatchDeliveries) end with UNAUTHENTICATED at once.
        foreach (var key in keys) authenticator.Invalidate(key.Id, key.SecretHash);
        return new DeleteTenantResponse();
    }

    private async Task<TenantEntity> FindTenantAsync(Caller caller, string tenantId, CancellationToken cancellationToken, bool tracking)
    {
        var id = RequestValidation.Id(tenantId, "tenant_id");
        if (!caller.CanSee(id)) throw GrpcErrors.NotFound("tenant", id);
        var query = tracking ? db.Tenants.AsTracking() : db.Tenants;
        return await query.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw GrpcErrors.NotFound("tenant", id);
    }

    /// <summary>Resolves the request's tenant and checks that it exists.</summary>
    private async Task<string> ResolveExistingTenantAsync(Caller caller, string requested, CancellationToken cancellationToken)
    {
        var id = caller.ResolveTenant(requested);
        return await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken) ? id : throw GrpcErrors.NotFound("tenant", id);
    }
}
