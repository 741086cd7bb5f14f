using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>turns list</c>: units of agent work; failed turns show the agent's error.</summary>
public static class TurnCommands
{
    /// <summary>Builds the <c>turns</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var turns = new Command("turns", "Turns, newest first.");
        var tenant = Options.Tenant();
        var status = Options.Enum<TurnStatus>("--status", "Only turns in this status.");
        var conversation = Options.Text("--conversation", "Only turns of this conversation.");
        var (size, token) = Options.Paging();
        var list = new Command("list", "List turns.") { tenant, status, conversation, size, token };
        context.Handle(list, (p, c, ct) => c.Admin.ListTurnsAsync(new ListTurnsRequest
        {
            TenantId = p.GetValue(tenant) ?? string.Empty, Status = p.GetValue(status) ?? TurnStatus.Unspecified,
            ConversationId = p.GetValue(conversation) ?? string.Empty, PageSize = p.GetValue(size), PageToken = p.GetValue(token) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) =>
        {
            var table = new Table("ID", "STATUS", "ATTEMPTS", "AGENT", "CONVERSATION", "LAST ERROR", "CREATED", "COMPLETED");
            foreach (var t in r.Turns)
                table.Add(t.Id, Render.Enum(t.Status), t.Attempts.ToString(), t.AgentId, t.ConversationId, Render.Cut(t.LastError), Render.Time(t.CreateTime), Render.Time(t.CompleteTime));
            table.WriteTo(w);
            Paging.WriteNext(w, r.NextPageToken);
        });
        turns.Subcommands.Add(list);
        return turns;
    }
}
