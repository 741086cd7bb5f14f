using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>channels list|create|get|update|delete</c>. Credentials are write-only and never printed.</summary>
public static class ChannelCommands
{
    /// <summary>Builds the <c>channels</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var channels = new Command("channels", "Channels: configured instances of channel plugins.");

        var listTenant = Options.Tenant();
        var listKind = Options.Text("--kind", "Only channels of this kind (for example telegram).");
        var (size, token) = Options.Paging();
        var list = new Command("list", "List channels.") { listTenant, listKind, size, token };
        context.Handle(list, (p, c, ct) => c.Admin.ListChannelsAsync(new ListChannelsRequest
        {
            TenantId = p.GetValue(listTenant) ?? string.Empty, Kind = p.GetValue(listKind) ?? string.Empty, PageSize = p.GetValue(size), PageToken = p.GetValue(token) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) =>
        {
            Print(r.Channels, w);
            Paging.WriteNext(w, r.NextPageToken);
        });

        var tenant = Options.Tenant();
        var kind = Options.Text("--kind", "The channel plugin's type, for example telegram or webchat.", required: true);
        var displayName = Options.Text("--display-name", "1 to 200 characters.", required: true);
        var ownership = Options.Enum<ChannelOwnership>("--ownership", "Default shared.");
        var customer = Options.Text("--customer", "The owning customer (with --ownership customer).");
        var config = Options.Pairs("--config", "A non-secret setting.");
        var credential = Options.Pairs("--credential", "A secret setting (for example bot_token); write-only.");
        var webhookSecret = Options.Text("--webhook-secret", "Secret verifying the platform's webhooks; generated when omitted.");
        var create = new Command("create", "Create a channel.") { tenant, kind, displayName, ownership, customer, config, credential, webhookSecret };
        context.Handle(create, (p, c, ct) =>
        {
            var request = new CreateChannelRequest
            {
                TenantId = p.GetValue(tenant) ?? string.Empty, Kind = p.GetValue(kind)!, DisplayName = p.GetValue(displayName)!,
                Ownership = p.GetValue(ownership) ?? ChannelOwnership.Unspecified, CustomerId = p.GetValue(customer) ?? string.Empty,
                WebhookSecret = p.GetValue(webhookSecret) ?? string.Empty,
            };
            request.Config.Add(Options.GetPairs(p, config));
            request.Credentials.Add(Options.GetPairs(p, credential));
            return c.Admin.CreateChannelAsync(request, cancellationToken: ct).ResponseAsync;
        }, (r, w) => PrintOne(r.Channel, w));

        var getId = Options.Id("channel-id", "The channel id.");
        var get = new Command("get", "Show a channel (status, last error, webhook path).") { getId };
        context.Handle(get, (p, c, ct) => c.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = p.GetValue(getId)! }, cancellationToken: ct).ResponseAsync,
            (r, w) => PrintOne(r.Channel, w));

        var updateId = Options.Id("channel-id", "The channel id.");
        var newName = Options.Text("--display-name", "New display name.");
        var setConfig = Options.Pairs("--config", "A setting to set (empty value removes it).");
        var setCredential = Options.Pairs("--credential", "A credential to set (empty value removes it); write-only.");
        var status = Options.Enum<ChannelStatus>("--status", "New status (connected, disconnected or archived).");
        var newSecret = Options.Text("--webhook-secret", "New webhook secret.");
        var update = new Command("update", "Change a channel.") { updateId, newName, setConfig, setCredential, status, newSecret };
        context.Handle(update, (p, c, ct) =>
        {
            var request = new UpdateChannelRequest { ChannelId = p.GetValue(updateId)!, Status = p.GetValue(status) ?? ChannelStatus.Unspecified };
            if (p.GetValue(newName) is { } name) request.DisplayName = name;
            if (p.GetValue(newSecret) is { } secret) request.WebhookSecret = secret;
            request.Config.Add(Options.GetPairs(p, setConfig));
            request.Credentials.Add(Options.GetPairs(p, setCredential));
            return c.Admin.UpdateChannelAsync(request, cancellationToken: ct).ResponseAsync;
        }, (r, w) => PrintOne(r.Channel, w));

        var deleteId = Options.Id("channel-id", "The channel id.");
        var delete = new Command("delete", "Delete a channel.") { deleteId };
        context.Handle(delete, (p, c, ct) => c.Admin.DeleteChannelAsync(new DeleteChannelRequest { ChannelId = p.GetValue(deleteId)! }, cancellationToken: ct).ResponseAsync,
            (_, w) => w.WriteLine("Deleted."));

        channels.Subcommands.Add(list);
        channels.Subcommands.Add(create);
        channels.Subcommands.Add(get);
        channels.Subcommands.Add(update);
        channels.Subcommands.Add(delete);
        return channels;
    }

    private static void PrintOne(Channel channel, TextWriter writer)
    {
        Print([channel], writer);
        if (!string.IsNullOrEmpty(channel.WebhookPath)) writer.WriteLine($"Webhook path: {channel.WebhookPath}");
        if (!string.IsNullOrEmpty(channel.LastError)) writer.WriteLine($"Last error: {channel.LastError}");
    }

    private static void Print(IEnumerable<Channel> channels, TextWriter writer)
    {
        var table = new Table("ID", "KIND", "DISPLAY NAME", "STATUS", "OWNERSHIP", "CONFIG", "CREDENTIALS SET", "TENANT");
        foreach (var ch in channels)
            table.Add(ch.Id, ch.Kind, ch.DisplayName, Render.Enum(ch.Status), Render.Enum(ch.Ownership), Render.Cut(Render.Map(ch.Config)), Render.List(ch.CredentialKeysSet), ch.TenantId);
        table.WriteTo(writer);
    }
}
