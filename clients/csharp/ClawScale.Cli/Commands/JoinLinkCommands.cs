using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>join-links create|list|revoke</c>: onboarding links of shared channels (the URL and start code are printed once, by <c>create</c>).</summary>
public static class JoinLinkCommands
{
    /// <summary>Builds the <c>join-links</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var joinLinks = new Command("join-links", "Onboarding links (/join/{token}) that show end users how to start a conversation on a shared channel.");

        var tenant = Options.Tenant();
        var channel = Options.Text("--channel", "The shared channel's id.", required: true);
        var customer = Options.Text("--customer", "Tie senders to this existing customer (default: a new customer per sender, named by --label).");
        var label = Options.Text("--label", "Label for admins, 0 to 200 characters; names new customers.");
        var ttl = new Option<long>("--ttl-seconds") { Description = "Lifetime in seconds, 60 to 7776000 (90 days); default 604800 (7 days)." };
        var maxUses = new Option<int>("--max-uses") { Description = "How many senders may redeem the code; default 0 (unlimited until expiry)." };
        var invite = Options.Text("--invite-url", "An https URL the page offers first (Slack install link, Discord invite).");
        var create = new Command("create", "Create a join link; its URL and start code are shown this once.") { tenant, channel, customer, label, ttl, maxUses, invite };
        context.Handle(create, (p, c, ct) => c.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest
        {
            TenantId = p.GetValue(tenant) ?? string.Empty,
            ChannelId = p.GetValue(channel)!,
            CustomerId = p.GetValue(customer) ?? string.Empty,
            Label = p.GetValue(label) ?? string.Empty,
            TtlSeconds = p.GetValue(ttl),
            MaxUses = p.GetValue(maxUses),
            InviteUrl = p.GetValue(invite) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) =>
        {
            Print([r.JoinLink], w);
            w.WriteLine();
            w.WriteLine($"Link (shown once, share it with the end user): {r.Url}");
            w.WriteLine($"Start code: {r.StartCode}");
        });

        var listTenant = Options.Tenant();
        var listChannel = Options.Text("--channel", "Only this channel's links.");
        var inactive = new Option<bool>("--include-inactive") { Description = "Also list revoked, expired and used-up links." };
        var (size, token) = Options.Paging();
        var list = new Command("list", "List join links (without secrets).") { listTenant, listChannel, inactive, size, token };
        context.Handle(list, (p, c, ct) => c.Admin.ListJoinLinksAsync(new ListJoinLinksRequest
        {
            TenantId = p.GetValue(listTenant) ?? string.Empty,
            ChannelId = p.GetValue(listChannel) ?? string.Empty,
            IncludeInactive = p.GetValue(inactive),
            PageSize = p.GetValue(size),
            PageToken = p.GetValue(token) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) =>
        {
            Print(r.JoinLinks, w);
            Paging.WriteNext(w, r.NextPageToken);
        });

        var revokeId = Options.Id("join-link-id", "The join link id.");
        var revoke = new Command("revoke", "Revoke a join link at once: its page answers 410 and its code is refused.") { revokeId };
        context.Handle(revoke, (p, c, ct) => c.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = p.GetValue(revokeId)! }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print([r.JoinLink], w));

        joinLinks.Subcommands.Add(create);
        joinLinks.Subcommands.Add(list);
        joinLinks.Subcommands.Add(revoke);
        return joinLinks;
    }

    private static void Print(IEnumerable<JoinLink> links, TextWriter writer)
    {
        var table = new Table("ID", "CHANNEL", "CUSTOMER", "LABEL", "STATUS", "USES", "EXPIRES", "REVOKED");
        foreach (var l in links)
            table.Add(l.Id, l.ChannelId, l.CustomerId, l.Label, Render.Enum(l.Status), l.MaxUses == 0 ? $"{l.UseCount}" : $"{l.UseCount}/{l.MaxUses}", Render.Time(l.ExpireTime), Render.Time(l.RevokeTime));
        table.WriteTo(writer);
    }
}
