using ClawScale.Protos.V1;
using Grpc.Core;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>
/// API keys: the list (no secrets), create (the secret is shown once, on the answer page, never stored by the console)
/// and revoke. A platform admin without a picked tenant sees platform-admin keys.
/// </summary>
internal static class ConsoleKeyPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/keys", ConsoleHandler.Of((HttpContext http) => List(ConsoleRequest.Of(http), null, null, StatusCodes.Status200OK)));
        pages.MapPost("/keys", ConsoleHandler.Of(Create));
        pages.MapPost("/keys/{id}/revoke", ConsoleHandler.Of(Revoke));
    }

    private static bool PlatformView(ConsoleRequest r) => r.Session.IsPlatformAdmin && (r.Session.TenantId is null || r.Query("platform") == "1");

    private static async Task<IResult> List(ConsoleRequest r, string? error, CreateApiKeyResponse? created, int status)
    {
        var platform = PlatformView(r);
        var tenantId = platform ? string.Empty : r.TenantId;
        var keys = await r.Admin.ListApiKeysAsync(new ListApiKeysRequest { TenantId = tenantId, IncludeRevoked = r.Query("revoked") == "1" }, r.Call);
        var rows = keys.ApiKeys.Select(k => (IReadOnlyList<Markup>)
        [
            H($"<strong>{k.Name}</strong>"),
            Code(k.Prefix + "…"),
            H($"{Name(k.Scope)}"),
            H($"{Time(k.CreateTime)}"),
            H($"{Time(k.LastUsedTime)}"),
            k.RevokeTime is not null
                ? Badge("revoked")
                : H($"<form method=\"post\" action=\"/console/keys/{k.Id}/revoke\">{r.Csrf}<button type=\"submit\" class=\"danger\" aria-label=\"Revoke key {k.Name}\">Revoke</button></form>"),
        ]);
        var shown = created is null ? Markup.Empty : H($"""
            <section class="card secret" aria-labelledby="secret-title">
            <h2 id="secret-title">Key {created.ApiKey.Name} created</h2>
            <p>Copy the secret now: it is shown this once and cannot be read again.</p>
            <p><code id="new-secret" class="url">{created.Secret}</code></p>
            </section>
            """);
        var scopes = new List<(string, string)> { ("tenant-admin", "tenant-admin"), ("runtime", "runtime (serves agents)") };
        if (platform) scopes = [("platform-admin", "platform-admin")];
        List<Agent> agents = platform ? [] : (await r.Admin.ListAgentsAsync(new ListAgentsRequest { TenantId = tenantId, PageSize = 500 }, r.Call)).Agents.ToList();
        var agentChoices = agents.Count == 0 ? Markup.Empty : H($"""
            <fieldset><legend>Agents a runtime key serves</legend>{agents.Select(a => H($"<label class=\"check\"><input type=\"checkbox\" name=\"agent_ids\" value=\"{a.Id}\"> {a.Name} ({a.Kind})</label>"))}</fieldset>
            """);
        var switchView = r.Session.IsPlatformAdmin && r.Session.TenantId is not null
            ? (platform ? H($"<p><a href=\"/console/keys\">Keys of tenant {r.Session.TenantName}</a></p>") : new Markup("<p><a href=\"/console/keys?platform=1\">Platform-admin keys</a></p>"))
            : Markup.Empty;
        var content = H($"""
            {shown}
            {switchView}
            {Table(platform ? "Platform-admin keys" : "Keys of this tenant", ["Name", "Prefix", "Scope", "Created", "Last used", ""], rows, "No keys.")}
            <form method="post" action="/console/keys{(platform && r.Session.TenantId is not null ? "?platform=1" : string.Empty)}" class="card">
            <h2>New API key</h2>
            {Error(error)}
            {r.Csrf}
            {Input("name", "Name", null, required: true, help: "1 to 100 characters, to recognise the key.")}
            {Select("scope", "Scope", scopes)}
            {agentChoices}
            <button type="submit">Create key</button>
            </form>
            """);
        return r.Page("API keys", "keys", content, status);
    }

    private static async Task<IResult> Create(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var platform = PlatformView(r);
        var request = new CreateApiKeyRequest
        {
            TenantId = platform ? string.Empty : r.TenantId,
            Name = form["name"].ToString().Trim(),
            Scope = form["scope"].ToString() switch
            {
                "platform-admin" => ApiKeyScope.PlatformAdmin,
                "tenant-admin" => ApiKeyScope.TenantAdmin,
                "runtime" => ApiKeyScope.Runtime,
                _ => ApiKeyScope.Unspecified,
            },
        };
        request.AgentIds.AddRange(form["agent_ids"].Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!.Trim()));
        try
        {
            var created = await r.Admin.CreateApiKeyAsync(request, r.Call);
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleEndpoints));
            var key = created.ApiKey;
            ConsoleLog.KeyCreated(logger, r.Session.KeyId, key.Id, key.Scope, key.TenantId);
            // Answered directly (not redirected): the secret must not be kept anywhere to show it on a later page.
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
        var key = (await r.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { ApiKeyId = id }, r.Call)).ApiKey;
        return r.Redirect("/console/keys" + (key.TenantId.Length == 0 && r.Session.TenantId is not null ? "?platform=1" : string.Empty), $"Key {key.Name} revoked: it is refused from now on.");
    }
}
