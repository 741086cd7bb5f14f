using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>agents list|create|get|update|delete</c>. Credentials are write-only and never printed.</summary>
public static class AgentCommands
{
    /// <summary>Builds the <c>agents</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var agents = new Command("agents", "Agents: agent plugin instances and external runtimes.");

        var listTenant = Options.Tenant();
        var (size, token) = Options.Paging();
        var list = new Command("list", "List agents.") { listTenant, size, token };
        context.Handle(list, (p, c, ct) => c.Admin.ListAgentsAsync(new ListAgentsRequest { TenantId = p.GetValue(listTenant) ?? string.Empty, PageSize = p.GetValue(size), PageToken = p.GetValue(token) ?? string.Empty }, cancellationToken: ct).ResponseAsync,
            (r, w) =>
            {
                Print(r.Agents, w);
                Paging.WriteNext(w, r.NextPageToken);
            });

        var tenant = Options.Tenant();
        var name = Options.Text("--name", "1 to 100 characters, unique within the tenant.", required: true);
        var kind = Options.Text("--kind", "The agent plugin's type (echo, openai, anthropic) or external for a runtime.", required: true);
        var config = Options.Pairs("--config", "A non-secret setting (model, system_prompt, base_url, …).");
        var credential = Options.Pairs("--credential", "A secret setting (for example api_key); write-only.");
        var create = new Command("create", "Create an agent.") { tenant, name, kind, config, credential };
        context.Handle(create, (p, c, ct) =>
        {
            var request = new CreateAgentRequest { TenantId = p.GetValue(tenant) ?? string.Empty, Name = p.GetValue(name)!, Kind = p.GetValue(kind)! };
            request.Config.Add(Options.GetPairs(p, config));
            request.Credentials.Add(Options.GetPairs(p, credential));
            return c.Admin.CreateAgentAsync(request, cancellationToken: ct).ResponseAsync;
        }, (r, w) => Print([r.Agent], w));

        var getId = Options.Id("agent-id", "The agent id.");
        var get = new Command("get", "Show an agent.") { getId };
        context.Handle(get, (p, c, ct) => c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = p.GetValue(getId)! }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print([r.Agent], w));

        var updateId = Options.Id("agent-id", "The agent id.");
        var newName = Options.Text("--name", "New name.");
        var setConfig = Options.Pairs("--config", "A setting to set (empty value removes it).");
        var setCredential = Options.Pairs("--credential", "A credential to set (empty value removes it); write-only.");
        var update = new Command("update", "Change an agent.") { updateId, newName, setConfig, setCredential };
        context.Handle(update, (p, c, ct) =>
        {
            var request = new UpdateAgentRequest { AgentId = p.GetValue(updateId)! };
            if (p.GetValue(newName) is { } n) request.Name = n;
            request.Config.Add(Options.GetPairs(p, setConfig));
            request.Credentials.Add(Options.GetPairs(p, setCredential));
            return c.Admin.UpdateAgentAsync(request, cancellationToken: ct).ResponseAsync;
        }, (r, w) => Print([r.Agent], w));

        var deleteId = Options.Id("agent-id", "The agent id.");
        var force = new Option<bool>("--force") { Description = "Also delete the bindings that use the agent." };
        var delete = new Command("delete", "Delete an agent (FAILED_PRECONDITION while bindings use it, unless --force).") { deleteId, force };
        context.Handle(delete, (p, c, ct) => c.Admin.DeleteAgentAsync(new DeleteAgentRequest { AgentId = p.GetValue(deleteId)!, Force = p.GetValue(force) }, cancellationToken: ct).ResponseAsync,
            (_, w) => w.WriteLine("Deleted."));

        agents.Subcommands.Add(list);
        agents.Subcommands.Add(create);
        agents.Subcommands.Add(get);
        agents.Subcommands.Add(update);
        agents.Subcommands.Add(delete);
        return agents;
    }

    private static void Print(IEnumerable<Agent> agents, TextWriter writer)
    {
        var table = new Table("ID", "NAME", "KIND", "CONFIG", "CREDENTIALS SET", "TENANT", "CREATED");
        foreach (var a in agents) table.Add(a.Id, a.Name, a.Kind, Render.Cut(Render.Map(a.Config)), Render.List(a.CredentialKeysSet), a.TenantId, Render.Time(a.CreateTime));
        table.WriteTo(writer);
    }
}
