using ClawScale.Protos.V1;
using Grpc.Core;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>
/// Channels: the list with live status (the page refreshes itself), last error and the webhook URL to paste into the
/// platform; create and edit forms generated from the kind's declared settings (<c>AdminService.ListKinds</c>).
/// </summary>
internal static class ConsoleChannelPages
{
    private const int RefreshSeconds = 10;

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/channels", ConsoleHandler.Of(List));
        pages.MapGet("/channels/new", ConsoleHandler.Of((HttpContext http) => New(ConsoleRequest.Of(http), ConsoleRequest.Of(http).Query("kind"), null, null, StatusCodes.Status200OK)));
        pages.MapPost("/channels/new", ConsoleHandler.Of(Create));
        pages.MapGet("/channels/{id}", ConsoleHandler.Of((HttpContext http, string id) => Detail(ConsoleRequest.Of(http), id, null, StatusCodes.Status200OK)));
        pages.MapPost("/channels/{id}", ConsoleHandler.Of(Update));
        pages.MapPost("/channels/{id}/delete", ConsoleHandler.Of(Delete));
    }

    private static async Task<IResult> List(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var page = await r.Admin.ListChannelsAsync(new ListChannelsRequest { TenantId = r.TenantId, PageToken = r.Query("page_token") }, r.Call);
        var kinds = await r.Admin.ListKindsAsync(new ListKindsRequest(), r.Call);
        var rows = page.Channels.Select(c => (IReadOnlyList<Markup>)
        [
            Link("/console/channels/" + c.Id, c.DisplayName),
            H($"{c.Kind}"),
            Badge(Name(c.Status)),
            H($"{Cut(c.LastError, 120)}"),
            Address(http, c),
        ]);
        var picker = H($"""
            <form method="get" action="/console/channels/new" class="card inline">
            {Select("kind", "Kind", kinds.ChannelKinds.Select(k => (k.Kind, k.Kind)))}
            <button type="submit">New channel…</button>
            </form>
            """);
        var content = H($"""
            {picker}
            <p class="hint">Status refreshes every {RefreshSeconds} seconds.</p>
            {Table("Channels", ["Name", "Kind", "Status", "Last error", "Webhook URL"], rows, "No channels yet: pick a kind and create one.")}
            {ConsoleTenantPages.Pager(page.NextPageToken, "/console/channels")}
            """);
        return r.Page("Channels", "channels", content, refreshSeconds: RefreshSeconds);
    }

    /// <summary>What to paste into the platform: the webhook URL, or for web chat the page's URL.</summary>
    private static Markup Address(HttpContext http, Channel channel) =>
        channel.Kind == "webchat"
            ? H($"<code class=\"url\">{ConsoleEndpoints.PublicUrl(http, "/chat/" + channel.Id)}</code>")
            : H($"<code class=\"url\">{ConsoleEndpoints.PublicUrl(http, channel.WebhookPath)}</code>");

    private static async Task<IResult> New(ConsoleRequest r, string kind, string? error, IFormCollection? posted, int status)
    {
        var kinds = await r.Admin.ListKindsAsync(new ListKindsRequest(), r.Call);
        var schema = kinds.ChannelKinds.FirstOrDefault(k => k.Kind == kind);
        if (schema is null)
        {
            var picker = H($"""
                {Error(kind.Length == 0 ? null : $"'{kind}' is not a channel kind this kernel serves. Pick one of the list.")}
                <form method="get" action="/console/channels/new" class="card">
                {Select("kind", "Kind", kinds.ChannelKinds.Select(k => (k.Kind, k.Kind)))}
                <button type="submit">Continue</button>
                </form>
                """);
            return r.Page("New channel", "channels", picker, kind.Length == 0 ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
        }

        var config = posted is null ? new Dictionary<string, string>() : PostedConfig(posted);
        var form = H($"""
            <form method="post" action="/console/channels/new" class="card">
            {Error(error)}
            {r.Csrf}
            <input type="hidden" name="kind" value="{kind}">
            {Input("display_name", "Display name", posted?["display_name"].ToString(), required: true, help: "1 to 200 characters, for the console and logs.")}
            {Select("ownership", "Ownership", [("shared", "Shared (admin-managed)"), ("customer", "One customer's own channel")], posted?["ownership"].ToString(), "Shared: first contact from a new user provisions a customer.")}
            {Input("customer_id", "Customer id", posted?["customer_id"].ToString(), help: "Only for a customer's own channel.")}
            {SettingsForm.Render(schema, config, [], editing: false)}
            {Input("webhook_secret", "Webhook secret", null, "password", help: "Verifies the platform's calls. Write-only; generated when empty.")}
            <button type="submit">Create channel</button>
            </form>
            """);
        return r.Page($"New {kind} channel", "channels", form, status);
    }

    private static Dictionary<string, string> PostedConfig(IFormCollection form)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        SettingsForm.Read(form, config, new Dictionary<string, string>());
        return config;
    }

    private static async Task<IResult> Create(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var kind = form["kind"].ToString().Trim();
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        if (SettingsForm.Read(form, config, credentials) is { } problem)
            return await New(r, kind, problem, form, StatusCodes.Status400BadRequest);

        var request = new CreateChannelRequest
        {
            TenantId = r.TenantId,
            Kind = kind,
            DisplayName = form["display_name"].ToString().Trim(),
            Ownership = form["ownership"] == "customer" ? ChannelOwnership.Customer : ChannelOwnership.Shared,
            CustomerId = form["customer_id"].ToString().Trim(),
            WebhookSecret = form["webhook_secret"].ToString().Trim(),
        };
        SettingsForm.FillCreate(request.Config, config);
        foreach (var (key, value) in credentials) request.Credentials[key] = value;
        try
        {
            var channel = (await r.Admin.CreateChannelAsync(request, r.Call)).Channel;
            return r.Redirect("/console/channels/" + channel.Id, $"Channel {channel.DisplayName} created. Paste its webhook URL into the platform.");
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await New(r, kind, ConsoleRequest.Problem(ex), form, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> Detail(ConsoleRequest r, string id, string? error, int status)
    {
        var channel = (await r.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = id }, r.Call)).Channel;
        var kinds = await r.Admin.ListKindsAsync(new ListKindsRequest(), r.Call);
        var schema = kinds.ChannelKinds.FirstOrDefault(k => k.Kind == channel.Kind);
        var summary = H($"""
            <dl class="card facts">
            <dt>Status</dt><dd>{Badge(Name(channel.Status))}</dd>
            <dt>Last error</dt><dd>{(channel.LastError.Length == 0 ? "none" : channel.LastError)}</dd>
            <dt>{(channel.Kind == "webchat" ? "Chat page" : "Webhook URL")}</dt><dd>{Address(r.Http, channel)}</dd>
            <dt>Kind</dt><dd>{channel.Kind}</dd>
            <dt>Ownership</dt><dd>{Name(channel.Ownership)}{(channel.CustomerId.Length > 0 ? " · customer " + channel.CustomerId : string.Empty)}</dd>
            <dt>Credentials set</dt><dd>{(channel.CredentialKeysSet.Count == 0 ? "none" : string.Join(", ", channel.CredentialKeysSet))}</dd>
            <dt>Id</dt><dd>{Code(channel.Id)}</dd>
            <dt>Created</dt><dd>{Time(channel.CreateTime)}</dd>
            <dt>Updated</dt><dd>{Time(channel.UpdateTime)}</dd>
            </dl>
            """);
        var edit = H($"""
            <form method="post" action="/console/channels/{channel.Id}" class="card">
            <h2>Edit</h2>
            {Error(error)}
            {r.Csrf}
            {Input("display_name", "Display name", channel.DisplayName, required: true)}
            {Select("status", "Status", [("", "(unchanged)"), ("connected", "connected"), ("disconnected", "disconnected"), ("archived", "archived")], null, "Disconnect or archive to stop receiving and sending.")}
            {SettingsForm.Render(schema, channel.Config, channel.CredentialKeysSet, editing: true)}
            {Input("webhook_secret", "New webhook secret", null, "password", help: "Write-only. Leave empty to keep the current one.")}
            <button type="submit">Save</button>
            </form>
            <form method="post" action="/console/channels/{channel.Id}/delete" class="card danger">
            {r.Csrf}
            <button type="submit" class="danger">Delete channel</button>
            </form>
            """);
        return r.Page(channel.DisplayName, "channels", H($"<p><a href=\"/console/channels\">← Channels</a></p>{summary}{edit}"), status);
    }

    private static async Task<IResult> Update(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var current = (await r.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = id }, r.Call)).Channel;
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        if (SettingsForm.Read(form, config, credentials) is { } problem)
            return await Detail(r, id, problem, StatusCodes.Status400BadRequest);

        var request = new UpdateChannelRequest
        {
            ChannelId = id,
            DisplayName = form["display_name"].ToString().Trim(),
            Status = form["status"].ToString() switch
            {
                "connected" => ChannelStatus.Connected,
                "disconnected" => ChannelStatus.Disconnected,
                "archived" => ChannelStatus.Archived,
                _ => ChannelStatus.Unspecified,
            },
        };
        SettingsForm.FillUpdate(request.Config, current.Config, config);
        foreach (var (key, value) in credentials) request.Credentials[key] = value;
        if (form["webhook_secret"].ToString().Trim() is { Length: > 0 } secret) request.WebhookSecret = secret;
        try
        {
            await r.Admin.UpdateChannelAsync(request, r.Call);
            return r.Redirect("/console/channels/" + id, "Channel saved.");
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await Detail(r, id, ConsoleRequest.Problem(ex), StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> Delete(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        await r.Admin.DeleteChannelAsync(new DeleteChannelRequest { ChannelId = id }, r.Call);
        return r.Redirect("/console/channels", "Channel deleted.");
    }
}
