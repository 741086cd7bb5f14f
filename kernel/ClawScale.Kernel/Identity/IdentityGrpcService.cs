using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Identity;

/// <summary>
/// <c>clawscale.v1.IdentityService</c>: maps platform users to a tenant's Customers. Open to every key scope within
/// its tenant; other tenants' customers answer NOT_FOUND. A runtime key reaches only the customers with a conversation
/// answered by its agents (<see cref="RuntimeScope"/>); other customers of its tenant answer PERMISSION_DENIED, and it
/// cannot create customers (they are created by their first message: a channel or RoutingService.RouteInbound).
/// </summary>
internal sealed class IdentityGrpcService(ClawScaleDbContext db, CustomerDirectory customers, TimeProvider time) : IdentityService.IdentityServiceBase
{
    /// <summary>
    /// The customer of an external identity, created with it when new unless <c>create_if_missing</c> is false (then
    /// NOT_FOUND). Runtime keys: PERMISSION_DENIED for a customer outside their scope, and instead of creating one.
    /// </summary>
    public override async Task<ResolveExternalIdentityResponse> ResolveExternalIdentity(ResolveExternalIdentityRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var tenantId = caller.ResolveTenant(request.TenantId);
        if (request.Identity is null) throw GrpcErrors.InvalidArgument("identity", "is required.");
        var (provider, type, value) = IdentityNormalizer.Normalize(request.Identity.Provider, request.Identity.IdentityType, request.Identity.Value, "identity");
        var displayName = RequestValidation.Length(request.DisplayName.Trim(), "display_name", 200);
        var ct = context.CancellationToken;
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, ct)) throw GrpcErrors.NotFound("tenant", tenantId);
        var create = !request.HasCreateIfMissing || request.CreateIfMissing;
        if (caller.IsAgentScoped())
        {
            var existing = await FindIdentityAsync(tenantId, provider, type, value, ct);
            if (existing is null)
            {
                if (create)
                {
                    throw GrpcErrors.PermissionDenied(
                        $"identity: {provider}/{type}/{value} is not a customer yet, and a runtime key cannot create customers; a customer is created by its first message (a channel, or RoutingService.RouteInbound on a channel routed to your agent).");
                }
            }
            else
            {
                await RuntimeScope.EnsureCustomerAsync(db, caller, existing.CustomerId, ct);
            }
        }

        var resolved = await customers.ResolveAsync(tenantId, provider, type, value, displayName, create, ct)
            ?? throw GrpcErrors.NotFound("external identity", $"{provider}/{type}/{value}");
        return new ResolveExternalIdentityResponse
        {
            Customer = resolved.Customer.ToProto(),
            Identity = resolved.Identity.ToProto(),
            Created = resolved.Created,
        };
    }

    public override async Task<GetCustomerResponse> GetCustomer(GetCustomerRequest request, ServerCallContext context)
    {
        var customer = await FindCustomerAsync(context, request.CustomerId);
        var response = new GetCustomerResponse { Customer = customer.ToProto() };
        response.Identities.AddRange(await ListIdentitiesAsync(customer.Id, context.CancellationToken));
        return response;
    }

    public override async Task<LinkExternalIdentityResponse> LinkExternalIdentity(LinkExternalIdentityRequest request, ServerCallContext context)
    {
        var customer = await FindCustomerAsync(context, request.CustomerId);
        if (request.Identity is null) throw GrpcErrors.InvalidArgument("identity", "is required.");
        var (provider, type, value) = IdentityNormalizer.Normalize(request.Identity.Provider, request.Identity.IdentityType, request.Identity.Value, "identity");
        var ct = context.CancellationToken;
        var existing = await FindIdentityAsync(customer.TenantId, provider, type, value, ct);
        if (existing is not null)
        {
            return existing.CustomerId == customer.Id
                ? new LinkExternalIdentityResponse { Identity = existing.ToProto() }
                : throw GrpcErrors.AlreadyExists($"The identity {provider}/{type}/{value} belongs to another customer; unlink it there first.");
        }

        var identity = new ExternalIdentityEntity
        {
            Id = NewId(),
            TenantId = customer.TenantId,
            CustomerId = customer.Id,
            Provider = provider,
            IdentityType = type,
            Value = value,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ExternalIdentities.Add(identity);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw GrpcErrors.AlreadyExists($"The identity {provider}/{type}/{value} was linked concurrently; read it with ListExternalIdentities.");
        }

        return new LinkExternalIdentityResponse { Identity = identity.ToProto() };
    }

    public override async Task<UnlinkExternalIdentityResponse> UnlinkExternalIdentity(UnlinkExternalIdentityRequest request, ServerCallContext context)
    {
        var customer = await FindCustomerAsync(context, request.CustomerId);
        var ct = context.CancellationToken;
        ExternalIdentityEntity? identity;
        string label;
        if (!string.IsNullOrEmpty(request.ExternalIdentityId))
        {
            label = request.ExternalIdentityId;
            identity = await db.ExternalIdentities.FirstOrDefaultAsync(i => i.Id == request.ExternalIdentityId, ct);
        }
        else if (request.Identity is not null)
        {
            var (provider, type, value) = IdentityNormalizer.Normalize(request.Identity.Provider, request.Identity.IdentityType, request.Identity.Value, "identity");
            label = $"{provider}/{type}/{value}";
            identity = await FindIdentityAsync(customer.TenantId, provider, type, value, ct);
        }
        else
        {
            throw GrpcErrors.InvalidArgument("external_identity_id", "or identity is required.");
        }

        if (identity is null || identity.CustomerId != customer.Id) throw GrpcErrors.NotFound("external identity", label);
        await db.ExternalIdentities.Where(i => i.Id == identity.Id).ExecuteDeleteAsync(ct);
        return new UnlinkExternalIdentityResponse();
    }

    public override async Task<ListExternalIdentitiesResponse> ListExternalIdentities(ListExternalIdentitiesRequest request, ServerCallContext context)
    {
        var customer = await FindCustomerAsync(context, request.CustomerId);
        var response = new ListExternalIdentitiesResponse();
        response.Identities.AddRange(await ListIdentitiesAsync(customer.Id, context.CancellationToken));
        return response;
    }

    /// <summary>The customer a request names: NOT_FOUND when missing or another tenant's, PERMISSION_DENIED outside a runtime key's scope.</summary>
    private async Task<CustomerEntity> FindCustomerAsync(ServerCallContext context, string customerId)
    {
        var caller = context.GetCaller();
        var id = RequestValidation.Id(customerId, "customer_id");
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, context.CancellationToken);
        if (customer is null || !caller.CanSee(customer.TenantId)) throw GrpcErrors.NotFound("customer", id);
        await RuntimeScope.EnsureCustomerAsync(db, caller, id, context.CancellationToken);
        return customer;
    }

    private Task<ExternalIdentityEntity?> FindIdentityAsync(string tenantId, string provider, string type, string value, CancellationToken ct) =>
        db.ExternalIdentities.FirstOrDefaultAsync(i => i.TenantId == tenantId && i.Provider == provider && i.IdentityType == type && i.Value == value, ct);

    private async Task<IEnumerable<ExternalIdentity>> ListIdentitiesAsync(string customerId, CancellationToken ct) =>
        (await db.ExternalIdentities.Where(i => i.CustomerId == customerId).OrderBy(i => i.Id).ToListAsync(ct)).Select(i => i.ToProto());

    private string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString();
}
