using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override async Task<CreateAgentBindingResponse> CreateAgentBinding(CreateAgentBindingRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var agentId = RequestValidation.Id(request.AgentId, "agent_id");
        if (!await db.Agents.AnyAsync(a => a.Id == agentId && a.TenantId == tenantId, context.CancellationToken))
            throw GrpcErrors.NotFound("agent", agentId);
        string? customerId = string.IsNullOrEmpty(request.CustomerId) ? null : request.CustomerId;
        string? channelId = string.IsNullOrEmpty(request.ChannelId) ? null : request.ChannelId;
        if (customerId is not null && !await db.Customers.AnyAsync(c => c.Id == customerId && c.TenantId == tenantId, context.CancellationToken))
            throw GrpcErrors.NotFound("customer", customerId);
        if (channelId is not null && !await db.Channels.AnyAsync(c => c.Id == channelId && c.TenantId == tenantId, context.CancellationToken))
            throw GrpcErrors.NotFound("channel", channelId);
        if (await db.AgentBindings.AnyAsync(b => b.TenantId == tenantId && b.CustomerId == customerId && b.ChannelId == channelId, context.CancellationToken))
            throw GrpcErrors.AlreadyExists("A binding for this customer and channel already exists; delete it first to change the agent.");
        var binding = new AgentBindingEntity
        {
            Id = NewId(),
            TenantId = tenantId,
            AgentId = agentId,
            CustomerId = customerId,
            ChannelId = channelId,
            CreatedAt = Now,
        };
        db.AgentBindings.Add(binding);
        await db.SaveChangesAsync(context.CancellationToken);
        return new CreateAgentBindingResponse { Binding = binding.ToProto() };
    }

    public override async Task<ListAgentBindingsResponse> ListAgentBindings(ListAgentBindingsRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var query = db.AgentBindings.Where(b => b.TenantId == tenantId);
        if (!string.IsNullOrEmpty(request.AgentId)) query = query.Where(b => b.AgentId == request.AgentId);
        if (!string.IsNullOrEmpty(request.CustomerId)) query = query.Where(b => b.CustomerId == request.CustomerId);
        if (!string.IsNullOrEmpty(request.ChannelId)) query = query.Where(b => b.ChannelId == request.ChannelId);
        var rows = await query.OrderBy(b => b.Id).Take(Paging.MaxPageSize).ToListAsync(context.CancellationToken);
        var response = new ListAgentBindingsResponse();
        response.Bindings.AddRange(rows.Select(b => b.ToProto()));
        return response;
    }

    public override async Task<DeleteAgentBindingResponse> DeleteAgentBinding(DeleteAgentBindingRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var id = RequestValidation.Id(request.BindingId, "binding_id");
        var binding = await db.AgentBindings.FirstOrDefaultAsync(b => b.Id == id, context.CancellationToken);
        if (binding is null || !caller.CanSee(binding.TenantId)) throw GrpcErrors.NotFound("agent binding", id);
        await db.AgentBindings.Where(b => b.Id == id).ExecuteDeleteAsync(context.CancellationToken);
        return new DeleteAgentBindingResponse();
    }
}
