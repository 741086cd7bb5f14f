using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>deliveries list|retry</c>: outbound deliveries and dead letters.</summary>
public static class DeliveryCommands
{
    /// <summary>Builds the <c>deliveries</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var deliveries = new Command("deliveries", "Outbound deliveries, newest first.");

        var tenant = Options.Tenant();
        var status = Options.Enum<DeliveryStatus>("--status", "Only deliveries in this status.");
        var (size, token) = Options.Paging();
        var list = new Command("list", "List deliveries.") { tenant, status, size, token };
        context.Handle(list, (p, c, ct) => c.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest
        {
            TenantId = p.GetValue(tenant) ?? string.Empty, Status = p.GetValue(status) ?? DeliveryStatus.Unspecified,
            PageSize = p.GetValue(size), PageToken = p.GetValue(token) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) =>
        {
            Print(r.Deliveries, w);
            Paging.WriteNext(w, r.NextPageToken);
        });

        var retryId = Options.Id("delivery-id", "The delivery id.");
        var retry = new Command("retry", "Move a dead or failed delivery back to pending (same route).") { retryId };
        context.Handle(retry, (p, c, ct) => c.Admin.RetryDeliveryAsync(new RetryDeliveryRequest { DeliveryId = p.GetValue(retryId)! }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print([r.Delivery], w));

        deliveries.Subcommands.Add(list);
        deliveries.Subcommands.Add(retry);
        return deliveries;
    }

    private static void Print(IEnumerable<Delivery> deliveries, TextWriter writer)
    {
        var table = new Table("ID", "STATUS", "ATTEMPTS", "CHANNEL", "CONVERSATION", "TEXT", "LAST ERROR", "CREATED");
        foreach (var d in deliveries)
            table.Add(d.Id, Render.Enum(d.Status), d.Attempts.ToString(), d.ChannelId, d.ConversationId, Render.Cut(d.Text, 40), Render.Cut(d.LastError), Render.Time(d.CreateTime));
        table.WriteTo(writer);
    }
}
