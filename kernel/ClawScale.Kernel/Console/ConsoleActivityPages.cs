using ClawScale.Protos.V1;
using Google.Protobuf.Collections;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>Deliveries (dead letters with Retry), turns with their failures, and plugins with their load state.</summary>
internal static class ConsoleActivityPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/deliveries", ConsoleHandler.Of(Deliveries));
        pages.MapPost("/deliveries/{id}/retry", ConsoleHandler.Of(Retry));
        pages.MapGet("/turns", ConsoleHandler.Of(Turns));
        pages.MapGet("/plugins", ConsoleHandler.Of(Plugins));
        pages.MapPost("/plugins/reload", ConsoleHandler.Of(Reload));
    }

    private static Markup Filters(string path, string current, IEnumerable<string> names) =>
        H($"<nav class=\"filters\" aria-label=\"Filter by status\"><ul>{names.Select(n => n == current
            ? H($"<li><a href=\"{path}{(n == "all" ? string.Empty : "?status=" + n)}\" aria-current=\"page\">{n}</a></li>")
            : H($"<li><a href=\"{path}{(n == "all" ? string.Empty : "?status=" + n)}\">{n}</a></li>"))}</ul></nav>");

    private static async Task<IResult> Deliveries(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var status = r.Query("status");
        var filter = status switch
        {
            "pending" => DeliveryStatus.Pending,
            "sending" => DeliveryStatus.Sending,
            "delivered" => DeliveryStatus.Delivered,
            "failed" => DeliveryStatus.Failed,
            "dead" => DeliveryStatus.Dead,
            _ => DeliveryStatus.Unspecified,
        };
        var page = await r.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = r.TenantId, Status = filter, PageToken = r.Query("page_token") }, r.Call);
        var rows = page.Deliveries.Select(d => (IReadOnlyList<Markup>)
        [
            H($"{Time(d.CreateTime)}"),
            Badge(Name(d.Status)),
            H($"{d.Attempts}"),
            H($"{Cut(d.Text, 60)}"),
            H($"{Cut(d.LastError, 120)}"),
            d.Status is DeliveryStatus.Dead or DeliveryStatus.Failed
                ? H($"<form method=\"post\" action=\"/console/deliveries/{d.Id}/retry\">{r.Csrf}<button type=\"submit\" aria-label=\"Retry delivery {d.Id}\">Retry</button></form>")
                : Markup.Empty,
        ]);
        var content = H($"""
            {Filters("/console/deliveries", filter == DeliveryStatus.Unspecified ? "all" : status, ["all", "pending", "failed", "dead", "delivered"])}
            {Table("Outbound deliveries, newest first", ["Created", "Status", "Attempts", "Text", "Last error", ""], rows, "No deliveries with this status.")}
            {ConsoleTenantPages.Pager(page.NextPageToken, "/console/deliveries" + (status.Length > 0 ? "?status=" + Uri.EscapeDataString(status) : string.Empty))}
            """);
        return r.Page("Deliveries", "deliveries", content);
    }

    private static async Task<IResult> Retry(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        await r.Admin.RetryDeliveryAsync(new RetryDeliveryRequest { DeliveryId = id }, r.Call);
        return r.Redirect("/console/deliveries", "Delivery queued again, to the route it was first sent to.");
    }

    private static async Task<IResult> Turns(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var status = r.Query("status");
        var filter = status switch
        {
            "pending" => TurnStatus.Pending,
            "running" => TurnStatus.Running,
            "completed" => TurnStatus.Completed,
            "failed" => TurnStatus.Failed,
            _ => TurnStatus.Unspecified,
        };
        var page = await r.Admin.ListTurnsAsync(new ListTurnsRequest { TenantId = r.TenantId, Status = filter, PageToken = r.Query("page_token") }, r.Call);
        var content = H($"""
            {Filters("/console/turns", filter == TurnStatus.Unspecified ? "all" : status, ["all", "pending", "running", "completed", "failed"])}
            {TurnTable(page.Turns)}
            {ConsoleTenantPages.Pager(page.NextPageToken, "/console/turns" + (status.Length > 0 ? "?status=" + Uri.EscapeDataString(status) : string.Empty))}
            """);
        return r.Page("Turns", "turns", content);
    }

    /// <summary>A table of turns with their failures.</summary>
    public static Markup TurnTable(RepeatedField<Turn> turns) => Table("Turns, newest first", ["Created", "Status", "Attempts", "Conversation", "Agent", "Error"],
        turns.Select(t => (IReadOnlyList<Markup>)
        [
            H($"{Time(t.CreateTime)}"),
            Badge(Name(t.Status)),
            H($"{t.Attempts}"),
            Link("/console/conversations/" + t.ConversationId, Cut(t.ConversationId, 13)),
            t.AgentId.Length == 0 ? new Markup("none bound") : Link("/console/agents/" + t.AgentId, Cut(t.AgentId, 13)),
            H($"{Cut(t.LastError, 160)}"),
        ]), "No turns.");

    private static async Task<IResult> Plugins(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var plugins = await r.Admin.ListPluginsAsync(new ListPluginsRequest(), r.Call);
        var rows = plugins.Plugins.Select(p => (IReadOnlyList<Markup>)
        [
            H($"<strong>{p.Name}</strong>"),
            H($"{p.Version}"),
            Badge(Name(p.State)),
            H($"{string.Join(", ", p.ChannelKinds.Concat(p.AgentKinds))}"),
            H($"{p.Error}"),
            H($"{Time(p.LoadTime)}"),
        ]);
        var content = H($"""
            {Table("Plugins", ["Name", "Version", "State", "Kinds", "Error", "Loaded"], rows, "No plugins are configured (plugins.json, or the plugins directory).")}
            <form method="post" action="/console/plugins/reload" class="card inline">{r.Csrf}<button type="submit">Reload plugins</button></form>
            """);
        return r.Page("Plugins", "plugins", content);
    }

    private static async Task<IResult> Reload(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var result = await r.Admin.ReloadPluginsAsync(new ReloadPluginsRequest(), r.Call);
        return r.Redirect("/console/plugins", $"Plugins reloaded: {result.Plugins.Count(p => p.State == PluginState.Loaded)} loaded, {result.Plugins.Count(p => p.State == PluginState.Failed)} failed.");
    }
}
