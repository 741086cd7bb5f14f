using ClawScale.Protos.V1;
using Grpc.Core;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>
/// Onboarding join links of the picked tenant: the list (no secrets; status active, expired, revoked or used up), create
/// on a shared channel (the page URL and start code are shown once, on the answer page, never stored by the console) and
/// revoke. Every call goes through <c>AdminService.CreateJoinLink</c> / <c>ListJoinLinks</c> / <c>RevokeJoinLink</c> with
/// the signed-in key, so the API's tenant checks and validation (ttl 60 s to 90 days, max uses, https invite URL) apply.
/// </summary>
internal static class ConsoleJoinLinkPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/join-links", ConsoleHandler.Of((HttpContext http) => List(ConsoleRequest.Of(http), null, null, StatusCodes.Status200OK)));
        pages.MapPost("/join-links", ConsoleHandler.Of(Create));
        pages.MapPost("/join-links/{id}/revoke", ConsoleHandler.Of(Revoke));
    }

    private static async Task<IResult> List(ConsoleRequest r, string? error, CreateJoinLinkResponse? created, int status)
    {
        var tenantId = r.TenantId;
        var links = await r.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { TenantId = tenantId, IncludeInactive = r.Query("inactive") == "1", PageSize = 500 }, r.Call);
        var channels = (await r.Admin.ListChannelsAsync(new ListChannelsRequest { TenantId = tenantId, PageSize = 500 }, r.Call)).Channels;
        var channelNames = channels.ToDictionary(c => c.Id, c => c.DisplayName, StringComparer.Ordinal);
        var rows = links.JoinLinks.Select(l => (IReadOnlyList<Markup>)
        [
            H($"<strong>{(l.Label.Length > 0 ? l.Label : "(no label)")}</strong>"),
            channelNames.TryGetValue(l.ChannelId, out var channelName) ? Link($"/console/channels/{l.ChannelId}", channelName) : Code(l.ChannelId),
            l.CustomerId.Length > 0 ? Link($"/console/customers/{l.CustomerId}", l.CustomerId) : H($"a new customer per sender"),
            H($"{l.UseCount} / {(l.MaxUses == 0 ? "unlimited" : l.MaxUses.ToString(System.Globalization.CultureInfo.InvariantCulture))}"),
            H($"{Time(l.ExpireTime)}"),
            Badge(StatusName(l.Status)),
            l.Status == JoinLinkStatus.Active
                ? H($"<form method=\"post\" action=\"/console/join-links/{l.Id}/revoke\">{r.Csrf}<button type=\"submit\" class=\"danger\" aria-label=\"Revoke join link {l.Label}\">Revoke</button></form>")
                : Markup.Empty,
        ]);
        var shown = created is null ? Markup.Empty : H($"""
            <section class="card secret" aria-labelledby="link-title">
            <h2 id="link-title">Join link created</h2>
            <p>Copy the link now: it is shown this once and cannot be read again. Share it with your end users; it expires {Time(created.JoinLink.ExpireTime)}.</p>
            <p><code id="new-join-url" class="url">{created.Url}</code></p>
            <p>Start code (the page shows it too): <code id="new-start-code">{created.StartCode}</code></p>
            </section>
            """);
        // Join links are for shared channels: customer-owned channels are left out of the choice.
        var shared = channels.Where(c => c.CustomerId.Length == 0).Select(c => (c.Id, $"{c.DisplayName} ({c.Kind})")).ToList();
        var form = shared.Count == 0
            ? new Markup("<p class=\"card\">Create a shared channel first: join links lead end users to a shared channel.</p>")
            : H($"""
                <form method="post" action="/console/join-links" class="card">
                <h2>New join link</h2>
                {Error(error)}
                {r.Csrf}
                {Select("channel_id", "Channel", shared, required: true)}
                {Input("label", "Label", null, help: "Optional, up to 200 characters, for admins; also names the customers created by the link.")}
                {Input("ttl_days", "Valid for (days)", "7", type: "number", help: "1 to 90 days.")}
                {Input("max_uses", "Uses", "0", type: "number", help: "How many senders may redeem the code; 0 means unlimited until expiry.")}
                {Input("invite_url", "Invite URL", null, type: "url", help: "Optional https link the page offers first (a Slack app install link, a Discord server invite).")}
                <button type="submit">Create join link</button>
                </form>
                """);
        var toggle = r.Query("inactive") == "1"
            ? new Markup("<p><a href=\"/console/join-links\">Only working links</a></p>")
            : new Markup("<p><a href=\"/console/join-links?inactive=1\">Include expired, revoked and used-up links</a></p>");
        var content = H($"""
            {shown}
            {toggle}
            {Table("Join links of this tenant", ["Label", "Channel", "Ties senders to", "Used", "Expires", "Status", ""], rows, "No join links.")}
            {form}
            """);
        return r.Page("Join links", "join-links", content, status);
    }

    private static string StatusName(JoinLinkStatus status) => status switch
    {
        JoinLinkStatus.Active => "active",
        JoinLinkStatus.Expired => "expired",
        JoinLinkStatus.Revoked => "revoked",
        JoinLinkStatus.UsedUp => "used-up",
        _ => "unknown",
    };

    private static async Task<IResult> Create(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (!int.TryParse(form["ttl_days"].ToString().Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var days) || days is < 1 or > 90)
            return await List(r, "Valid for (days): give a whole number from 1 to 90.", null, StatusCodes.Status400BadRequest);
        var usesText = form["max_uses"].ToString().Trim();
        if (!int.TryParse(usesText.Length == 0 ? "0" : usesText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var uses))
            return await List(r, "Uses: give a whole number (0 for unlimited).", null, StatusCodes.Status400BadRequest);
        var request = new CreateJoinLinkRequest
        {
            TenantId = r.TenantId,
            ChannelId = form["channel_id"].ToString().Trim(),
            Label = form["label"].ToString().Trim(),
            TtlSeconds = days * 86_400L,
            MaxUses = uses,
            InviteUrl = form["invite_url"].ToString().Trim(),
        };
        try
        {
            var created = await r.Admin.CreateJoinLinkAsync(request, r.Call);
            // Answered directly (not redirected): the URL and code must not be kept anywhere to show them on a later page.
            return await List(r, null, created, StatusCodes.Status200OK);
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await List(r, ConsoleRequest.Problem(ex), null, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> Revoke(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        var link = (await r.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = id }, r.Call)).JoinLink;
        return r.Redirect("/console/join-links", $"Join link {(link.Label.Length > 0 ? link.Label : link.Id)} revoked: its page answers 410 and its code is refused.");
    }
}
