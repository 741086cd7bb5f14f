using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override async Task<ListCustomersResponse> ListCustomers(ListCustomersRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var size = Paging.Size(request.PageSize);
        var after = Paging.After(request.PageToken);
        var query = db.Customers.Where(c => c.TenantId == tenantId);
        if (after is not null) query = query.Where(c => string.Compare(c.Id, after) > 0);
        var rows = await query.OrderBy(c => c.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListCustomersResponse { NextPageToken = Paging.Next(rows, size, c => c.Id) };
        response.Customers.AddRange(rows.Select(c => c.ToProto()));
        return response;
    }

    public override async Task<AdminGetCustomerResponse> GetCustomer(AdminGetCustomerRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var id = RequestValidation.Id(request.CustomerId, "customer_id");
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, context.CancellationToken);
        if (customer is null || !caller.CanSee(customer.TenantId)) throw GrpcErrors.NotFound("customer", id);
        var identities = await db.ExternalIdentities.Where(i => i.CustomerId == id).OrderBy(i => i.Id).ToListAsync(context.CancellationToken);
        var response = new AdminGetCustomerResponse { Customer = customer.ToProto() };
        response.Identities.AddRange(identities.Select(i => i.ToProto()));
        return response;
    }
}
