using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>bindings list|create|delete</c>: which agent answers whom.</summary>
public static class BindingCommands
{
    /// <summary>Builds the <c>bindings</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var bindings = new Command("bindings", "Agent bindings: the most specific one wins (customer+channel, customer, channel, tenant default).");

        var listTenant = Options.Tenant();
        var listAgent = Options.Text("--agent", "Only bindings of this agent.");
        var listCustomer = Options.Text("--customer", "Only bindings of this customer.");
        var listChannel = Options.Text("--channel", "Only bindings on this channel.");
        var list = new Command("list", "List bindings.") { listTenant, listAgent, listCustomer, listChannel };
        context.Handle(list, (p, c, ct) => c.Admin.ListAgentBindingsAsync(new ListAgentBindingsRequest
        {
            TenantId = p.GetValue(listTenant) ?? string.Empty, AgentId = p.GetValue(listAgent) ?? string.Empty,
            CustomerId = p.GetValue(listCustomer) ?? string.Empty, ChannelId = p.GetValue(listChannel) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) => Print(r.Bindings, w));

        var tenant = Options.Tenant();
        var agent = Options.Text("--agent", "The agent that answers.", required: true);
        var customer = Options.Text("--customer", "Bind for this customer only.");
        var channel = Options.Text("--channel", "Bind on this channel only.");
        var create = new Command("create", "Create a binding (neither --customer nor --channel: the tenant default).") { tenant, agent, customer, channel };
        context.Handle(create, (p, c, ct) => c.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest
        {
            TenantId = p.GetValue(tenant) ?? string.Empty, AgentId = p.GetValue(agent)!,
            CustomerId = p.GetValue(customer) ?? string.Empty, ChannelId = p.GetValue(channel) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) => Print([r.Binding], w));

        var deleteId = Options.Id("binding-id", "The binding id.");
        var delete = new Command("delete", "Delete a binding.") { deleteId };
        context.Handle(delete, (p, c, ct) => c.Admin.DeleteAgentBindingAsync(new DeleteAgentBindingRequest { BindingId = p.GetValue(deleteId)! }, cancellationToken: ct).ResponseAsync,
            (_, w) => w.WriteLine("Deleted."));

        bindings.Subcommands.Add(list);
        bindings.Subcommands.Add(create);
        bindings.Subcommands.Add(delete);
        return bindings;
    }

    private static void Print(IEnumerable<AgentBinding> bindings, TextWriter writer)
    {
        var table = new Table("ID", "AGENT", "CUSTOMER", "CHANNEL", "TENANT", "CREATED");
        foreach (var b in bindings) table.Add(b.Id, b.AgentId, b.CustomerId, b.ChannelId, b.TenantId, Render.Time(b.CreateTime));
        table.WriteTo(writer);
    }
}
