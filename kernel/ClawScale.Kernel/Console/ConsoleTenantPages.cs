using ClawScale.Protos.V1;
using Grpc.Core;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>Tenants: the list (a tenant admin sees only its own), picking the tenant the other pages show, creating one (platform admin).</summary>
internal static class ConsoleTenantPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/tenants", ConsoleHandler.Of((HttpContext http) => List(ConsoleRequest.Of(http), null, StatusCodes.Status200OK, null)));
        pages.MapPost("/tenants", ConsoleHandler.Of(Create));
        pages.MapPost("/tenants/select", ConsoleHandler.Of(Select));
    }

    private static async Task<IResult> List(ConsoleRequest r, string? error, int status, (string Slug, string Name)? posted)
    {
        var page = await r.Admin.ListTenantsAsync(new ListTenantsRequest { PageToken = r.Query("page_token") }, r.Call);
        var rows = page.Tenants.Select(t => (IReadOnlyList<Markup>)
        [
            H($"<strong>{t.DisplayName}</strong>"),
            Code(t.Slug),
            Code(t.Id),
            H($"{Time(t.CreateTime)}"),
            t.Id == r.Session.TenantId
                ? new Markup("<span class=\"badge connected\">shown</span>")
                : H($"<form method=\"post\" action=\"/console/tenants/select\">{r.Csrf}<input type=\"hidden\" name=\"tenant_id\" value=\"{t.Id}\"><button type=\"submit\" aria-label=\"Show tenant {t.DisplayName}\">Show</button></form>"),
        ]);
        var table = Table("Tenants", ["Name", "Slug", "Id", "Created", "Console shows"], rows, "No tenants yet. Create the first one below.");
        var create = r.Session.IsPlatformAdmin
            ? H($"""
                <form method="post" action="/console/tenants" class="card">
                <h2>New tenant</h2>
                {Error(error)}
                {r.Csrf}
                {Input("slug", "Slug", posted?.Slug, required: true, help: "3 to 63 characters of a-z, 0-9 and -, starting with a letter; unique.")}
                {Input("display_name", "Display name", posted?.Name, required: true, help: "1 to 200 characters.")}
                <button type="submit">Create tenant</button>
                </form>
                """)
            : Markup.Empty;
        return r.Page("Tenants", "tenants", H($"{table}{Pager(page.NextPageToken, "/console/tenants")}{create}"), status);
    }

    private static async Task<IResult> Create(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var slug = form["slug"].ToString().Trim();
        var name = form["display_name"].ToString().Trim();
        try
        {
            var tenant = (await r.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = name }, r.Call)).Tenant;
            return r.Redirect("/console/tenants", $"Tenant {tenant.DisplayName} created.");
        }
        catch (RpcException ex) when (ConsoleRequest.IsFormProblem(ex))
        {
            return await List(r, ConsoleRequest.Problem(ex), StatusCodes.Status400BadRequest, (slug, name));
        }
    }

    private static async Task<IResult> Select(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        // The API decides: another tenant's id answers NOT_FOUND to a tenant admin (→ 404 page).
        var tenant = (await r.Admin.GetTenantAsync(new GetTenantRequest { TenantId = form["tenant_id"].ToString().Trim() }, r.Call)).Tenant;
        r.Session.TenantId = tenant.Id;
        r.Session.TenantName = tenant.DisplayName;
        return r.Redirect("/console/channels", $"Showing tenant {tenant.DisplayName}.");
    }

    /// <summary>A "Next page" link when the API says there is one.</summary>
    public static Markup Pager(string nextPageToken, string path)
    {
        if (string.IsNullOrEmpty(nextPageToken)) return Markup.Empty;
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return H($"<p class=\"pager\"><a href=\"{path}{separator}page_token={Uri.EscapeDataString(nextPageToken)}\">Next page</a></p>");
    }
}
