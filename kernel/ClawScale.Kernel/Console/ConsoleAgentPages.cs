using ClawScale.Protos.V1;
using Grpc.Core;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>Agents (create/edit forms generated from the kind's declared settings) and agent bindings.</summary>
internal static class ConsoleAgentPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/agents", ConsoleHandler.Of((HttpContext http) => List(ConsoleRequest.Of(http), ConsoleRequest.Of(http).Query("kind"), null, null, StatusCodes.Status200OK)));
        pages.MapPost("/agents", ConsoleHandler.Of(Create));
        pages.MapGet("/agents/{id}", ConsoleHandler.Of((HttpContext http, string id) => Detail(ConsoleRequest.Of(http), id, null, StatusCodes.Status200OK)));
        pages.MapPost("/agents/{id}", ConsoleHandler.Of(Update));
        pages.MapPost("/agents/{id}/delete", ConsoleHandler.Of(Delete));
        pages.MapGet("/bindings", ConsoleHandler.Of((HttpContext http) => Bindings(ConsoleRequest.Of(http), null, StatusCodes.Status200OK)));
        pages.MapPost("/bindings", ConsoleHandler.Of(CreateBinding));
        pages.MapPost("/bindings/{id}/delete", ConsoleHandler.Of(DeleteBinding));
    }

    private static async Task<IResult> List(ConsoleRequest r, string kind, string? error, IFormCollection? posted, int status)
    {
        var page = await r.Admin.ListAgentsAsync(new ListAgentsRequest { TenantId = r.TenantId, PageToken = r.Query("page_token") }, r.Call);
        var kinds = await r.Admin.ListKindsAsync(new ListKindsRequest(), r.Call);
        var rows = page.Agents.Select(a => (IReadOnlyList<Markup>)
        [
            Link("/console/agents/" + a.Id, a.Name),
            H($"{a.Kind}"),
            H($"{string.Join(", ", a.Config.Select(p => p.Key + "=" + Cut(p.Value, 30)))}"),
            H($"{Time(a.CreateTime)}"),
        ]);
        var schema = kinds.AgentKinds.FirstOrDefault(k => k.Kind == kind);
        Markup create;
        if (schema is null)
        {
            create = H($"""
                <form method="get" action="/console/agents" class="card inline">
                {Select("kind", "Kind", kinds.AgentKinds.Select(k => (k.Kind, k.Kind)))}
                <button type="submit">New agent…</button>
                </form>
                """);
        }
        else
        {
            var config = new Dictionary<string, string>(StringComparer.Ordinal);
            if (posted is not null) SettingsForm.Read(posted, config, new Dictionary<string, string>());
            create = H($"""
                <form method="post" action="/console/agents" class="card">
                <h2>New {kind} agent</h2>
                {Error(error)}
                {r.Csrf}
                <input type="hidden" name="kind" value="{kind}">
                {Input("name", "Name", posted?["name"].ToString(), required: true, help: "1 to 100 characters, unique in the tenant.")}
                {SettingsForm.Render(schema, config, [], editing: false)}
                <button type="submit">Create agent</button>
                </form>
                """);
        }

        var content = H($"{create}{Table("Agents", ["Name", "Kind", "Settings", "Created"], rows, "No agents yet.")}{ConsoleTenantPages.Pager(page.NextPageToken, "/console/agents")}");
        return r.Page("Agents", "agents", content, status);
    }

    private static async Task<IResult> Create(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var kind = form["kind"].ToString().Trim();
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        if (SettingsForm.Read(form, config, credentials) is { } problem)
            return await List(r, kind, problem, form, StatusCodes.Status400BadRequest);
        var request = new CreateAgentRequest { TenantId = r.TenantId, Kind = kind, Name = form["name"].ToString().Trim() };
        SettingsForm.FillCreate(request.Config, config);
        foreach (var (key, value) in credentials) request.Credentials[key] = value;
        try
        {
            var agent = (await r.Admin.CreateAgentAsync(request, r.Call)).Agent;
            return r.Redirect("/console/agents/" + agent.Id, $"Agent {agent.Name} created. Bind it under Bindings so it answers.");
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await List(r, kind, ConsoleRequest.Problem(ex), form, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> Detail(ConsoleRequest r, string id, string? error, int status)
    {
        var agent = (await r.Admin.GetAgentAsync(new GetAgentRequest { AgentId = id }, r.Call)).Agent;
        var kinds = await r.Admin.ListKindsAsync(new ListKindsRequest(), r.Call);
        var schema = kinds.AgentKinds.FirstOrDefault(k => k.Kind == agent.Kind);
        var content = H($"""
            <p><a href="/console/agents">← Agents</a></p>
            <dl class="card facts">
            <dt>Kind</dt><dd>{agent.Kind}</dd>
            <dt>Credentials set</dt><dd>{(agent.CredentialKeysSet.Count == 0 ? "none" : string.Join(", ", agent.CredentialKeysSet))}</dd>
            <dt>Id</dt><dd>{Code(agent.Id)}</dd>
            <dt>Updated</dt><dd>{Time(agent.UpdateTime)}</dd>
            </dl>
            <form method="post" action="/console/agents/{agent.Id}" class="card">
            <h2>Edit</h2>
            {Error(error)}
            {r.Csrf}
            {Input("name", "Name", agent.Name, required: true)}
            {SettingsForm.Render(schema, agent.Config, agent.CredentialKeysSet, editing: true)}
            <button type="submit">Save</button>
            </form>
            <form method="post" action="/console/agents/{agent.Id}/delete" class="card danger">
            {r.Csrf}
            <label class="check"><input type="checkbox" name="force" value="true"> Also delete its bindings</label>
            <button type="submit" class="danger">Delete agent</button>
            </form>
            """);
        return r.Page(agent.Name, "agents", content, status);
    }

    private static async Task<IResult> Update(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var current = (await r.Admin.GetAgentAsync(new GetAgentRequest { AgentId = id }, r.Call)).Agent;
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        if (SettingsForm.Read(form, config, credentials) is { } problem)
            return await Detail(r, id, problem, StatusCodes.Status400BadRequest);
        var request = new UpdateAgentRequest { AgentId = id, Name = form["name"].ToString().Trim() };
        SettingsForm.FillUpdate(request.Config, current.Config, config);
        foreach (var (key, value) in credentials) request.Credentials[key] = value;
        try
        {
            await r.Admin.UpdateAgentAsync(request, r.Call);
            return r.Redirect("/console/agents/" + id, "Agent saved.");
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await Detail(r, id, ConsoleRequest.Problem(ex), StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> Delete(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        try
        {
            await r.Admin.DeleteAgentAsync(new DeleteAgentRequest { AgentId = id, Force = form["force"] == "true" }, r.Call);
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await Detail(r, id, ConsoleRequest.Problem(ex), StatusCodes.Status400BadRequest);
        }

        return r.Redirect("/console/agents", "Agent deleted.");
    }

    private static async Task<IResult> Bindings(ConsoleRequest r, string? error, int status)
    {
        var bindings = await r.Admin.ListAgentBindingsAsync(new ListAgentBindingsRequest { TenantId = r.TenantId }, r.Call);
        var agents = (await r.Admin.ListAgentsAsync(new ListAgentsRequest { TenantId = r.TenantId, PageSize = 500 }, r.Call)).Agents;
        var channels = (await r.Admin.ListChannelsAsync(new ListChannelsRequest { TenantId = r.TenantId, PageSize = 500 }, r.Call)).Channels;
        string AgentName(string id) => agents.FirstOrDefault(a => a.Id == id)?.Name ?? id;
        string ChannelName(string id) => id.Length == 0 ? "every channel" : channels.FirstOrDefault(c => c.Id == id)?.DisplayName ?? id;
        var rows = bindings.Bindings.Select(b => (IReadOnlyList<Markup>)
        [
            Link("/console/agents/" + b.AgentId, AgentName(b.AgentId)),
            b.CustomerId.Length == 0 ? new Markup("every customer") : Link("/console/customers/" + b.CustomerId, b.CustomerId),
            H($"{ChannelName(b.ChannelId)}"),
            H($"<form method=\"post\" action=\"/console/bindings/{b.Id}/delete\">{r.Csrf}<button type=\"submit\" class=\"danger\" aria-label=\"Delete binding of {AgentName(b.AgentId)}\">Delete</button></form>"),
        ]);
        var content = H($"""
            <p class="hint">The most specific binding answers: (customer, channel), then customer, then channel, then the tenant default.</p>
            {Table("Agent bindings", ["Agent", "Customer", "Channel", ""], rows, "No bindings: messages get no agent until one exists.")}
            <form method="post" action="/console/bindings" class="card">
            <h2>New binding</h2>
            {Error(error)}
            {r.Csrf}
            {Select("agent_id", "Agent", agents.Select(a => (a.Id, a.Name)), required: true)}
            {Select("channel_id", "Channel", new[] { (string.Empty, "(every channel)") }.Concat(channels.Select(c => (c.Id, c.DisplayName))))}
            {Input("customer_id", "Customer id", null, help: "Empty: every customer.")}
            <button type="submit">Create binding</button>
            </form>
            """);
        return r.Page("Agent bindings", "bindings", content, status);
    }

    private static async Task<IResult> CreateBinding(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        try
        {
            await r.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest
            {
                TenantId = r.TenantId,
                AgentId = form["agent_id"].ToString().Trim(),
                ChannelId = form["channel_id"].ToString().Trim(),
                CustomerId = form["customer_id"].ToString().Trim(),
            }, r.Call);
            return r.Redirect("/console/bindings", "Binding created.");
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await Bindings(r, ConsoleRequest.Problem(ex), StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> DeleteBinding(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        await r.Admin.DeleteAgentBindingAsync(new DeleteAgentBindingRequest { BindingId = id }, r.Call);
        return r.Redirect("/console/bindings", "Binding deleted.");
    }
}
