using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override async Task<CreateAgentResponse> CreateAgent(CreateAgentRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var name = RequestValidation.Required(request.Name, "name", 100);
        var kind = RequestValidation.Kind(request.Kind, "kind");
        RequestValidation.Map(request.Config, "config");
        RequestValidation.Map(request.Credentials, "credentials");
        var config = request.Config.Where(p => p.Value.Length > 0).ToDictionary(StringComparer.Ordinal);
        var credentials = request.Credentials.Where(p => p.Value.Length > 0).ToDictionary(StringComparer.Ordinal);
        ThrowIfInvalid(kinds.ValidateAgent(kind, config, credentials));
        if (await db.Agents.AnyAsync(a => a.TenantId == tenantId && a.Name == name, context.CancellationToken))
            throw GrpcErrors.AlreadyExists($"An agent named '{name}' already exists in this tenant; choose another name.");
        var agent = new AgentEntity
        {
            Id = NewId(),
            TenantId = tenantId,
            Name = name,
            Kind = kind,
            ConfigJson = ProtoMapping.WriteMap(config),
            CredentialsCiphertext = secrets.ProtectMap(credentials),
            CredentialKeys = ProtoMapping.JoinKeys(credentials.Keys),
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        db.Agents.Add(agent);
        await db.SaveChangesAsync(context.CancellationToken);
        return new CreateAgentResponse { Agent = agent.ToProto() };
    }

    public override async Task<GetAgentResponse> GetAgent(GetAgentRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        return new GetAgentResponse { Agent = (await FindAgentAsync(caller, request.AgentId, tracking: false, context.CancellationToken)).ToProto() };
    }

    public override async Task<ListAgentsResponse> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var size = Paging.Size(request.PageSize);
        var after = Paging.After(request.PageToken);
        var query = db.Agents.Where(a => a.TenantId == tenantId);
        if (after is not null) query = query.Where(a => string.Compare(a.Id, after) > 0);
        var rows = await query.OrderBy(a => a.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListAgentsResponse { NextPageToken = Paging.Next(rows, size, a => a.Id) };
        response.Agents.AddRange(rows.Select(a => a.ToProto()));
        return response;
    }

    public override async Task<UpdateAgentResponse> UpdateAgent(UpdateAgentRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var agent = await FindAgentAsync(caller, request.AgentId, tracking: true, context.CancellationToken);
        RequestValidation.Map(request.Config, "config");
        RequestValidation.Map(request.Credentials, "credentials");
        if (request.HasName)
        {
            var name = RequestValidation.Required(request.Name, "name", 100);
            if (name != agent.Name && await db.Agents.AnyAsync(a => a.TenantId == agent.TenantId && a.Name == name, context.CancellationToken))
                throw GrpcErrors.AlreadyExists($"An agent named '{name}' already exists in this tenant; choose another name.");
            agent.Name = name;
        }

        var configBefore = ProtoMapping.ReadMap(agent.ConfigJson);
        var config = ProtoMapping.Merge(new Dictionary<string, string>(configBefore, StringComparer.Ordinal), request.Config);
        var credentials = ProtoMapping.Merge(secrets.UnprotectMap(agent.CredentialsCiphertext), request.Credentials);
        if (request.Config.Count > 0 || request.Credentials.Count > 0)
        {
            ThrowIfInvalid(kinds.ValidateAgent(agent.Kind, config, credentials));
            ThrowIfRedirectingCredentials(caller, "agent", "UpdateAgent", agent.Id, agent.TenantId, kinds.AgentEndpointKeys(agent.Kind),
                configBefore, config, credentials, request.Credentials);
        }

        agent.ConfigJson = ProtoMapping.WriteMap(config);
        agent.CredentialsCiphertext = secrets.ProtectMap(credentials);
        agent.CredentialKeys = ProtoMapping.JoinKeys(credentials.Keys);
        agent.UpdatedAt = Now;
        await db.SaveChangesAsync(context.CancellationToken);
        return new UpdateAgentResponse { Agent = agent.ToProto() };
    }

    public override async Task<DeleteAgentResponse> DeleteAgent(DeleteAgentRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var agent = await FindAgentAsync(caller, request.AgentId, tracking: false, context.CancellationToken);
        var bindings = await db.AgentBindings.CountAsync(b => b.AgentId == agent.Id, context.CancellationToken);
        if (bindings > 0 && !request.Force)
            throw GrpcErrors.FailedPrecondition($"Agent '{agent.Id}' is used by {bindings} binding(s); delete them first or set force = true.");
        await db.Agents.Where(a => a.Id == agent.Id).ExecuteDeleteAsync(context.CancellationToken);
        return new DeleteAgentResponse();
    }

    private async Task<AgentEntity> FindAgentAsync(Caller caller, string agentId, bool tracking, CancellationToken cancellationToken)
    {
        var id = RequestValidation.Id(agentId, "agent_id");
        var query = tracking ? db.Agents.AsTracking() : db.Agents;
        var agent = await query.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return agent is not null && caller.CanSee(agent.TenantId) ? agent : throw GrpcErrors.NotFound("agent", id);
    }
}
