using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Antiforgery;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>
/// One console request of a signed-in user: the session, gRPC call options carrying its key as
/// <c>authorization: Bearer</c>, the anti-forgery field for forms, and the page layout.
/// </summary>
internal sealed class ConsoleRequest(HttpContext http, ConsoleSession session, ConsoleApi api, IAntiforgery antiforgery, TimeProvider time)
{
    private Markup? _csrf;

    public HttpContext Http => http;

    /// <summary>The console request of a page handler (set by the console's session filter).</summary>
    public static ConsoleRequest Of(HttpContext http) =>
        http.Items[typeof(ConsoleRequest)] as ConsoleRequest ?? throw new InvalidOperationException("Console pages run behind the console's session filter.");

    public ConsoleSession Session => session;

    public AdminService.AdminServiceClient Admin => api.Admin;

    public RoutingService.RoutingServiceClient Routing => api.Routing;

    /// <summary>Call options of one API call: the session's key, a deadline, the request's cancellation.</summary>
    public CallOptions Call => new(
        headers: new Metadata { { "authorization", "Bearer " + session.ApiKey } },
        deadline: time.GetUtcNow().UtcDateTime + ConsoleApi.CallTimeout,
        cancellationToken: http.RequestAborted);

    /// <summary>The tenant whose pages are shown.</summary>
    /// <exception cref="ConsoleTenantRequiredException">A platform admin has not picked a tenant yet.</exception>
    public string TenantId => session.TenantId ?? throw new ConsoleTenantRequiredException();

    /// <summary>The hidden anti-forgery field every form carries.</summary>
    public Markup Csrf => _csrf ??= Antiforgery(http, antiforgery);

    /// <summary>A query string value, trimmed; empty when absent.</summary>
    public string Query(string name) => http.Request.Query[name].ToString().Trim();

    /// <summary>Renders a page of the console (layout, navigation, the one-time notice).</summary>
    public IResult Page(string title, string section, Markup content, int status = StatusCodes.Status200OK, int? refreshSeconds = null)
    {
        var flash = session.Flash;
        session.Flash = null;
        return ConsoleLayout.Render(http, title, content, status, refreshSeconds, Notice(flash), Navigation(section), Who());
    }

    /// <summary>POST-redirect-GET with a confirmation for the next page.</summary>
    public IResult Redirect(string path, string? flash = null)
    {
        if (flash is not null) session.Flash = flash;
        return Results.Redirect(path);
    }

    /// <summary>The message of an API refusal a form shows: the status detail, which the API gives to this caller anyway.</summary>
    public static string Problem(RpcException ex) => ex.Status.Detail;

    /// <summary>Whether a form should be shown again with the API's message.</summary>
    public static bool IsFormProblem(RpcException ex) =>
        ex.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.OutOfRange;

    internal static Markup Antiforgery(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return H($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    private Markup Navigation(string section)
    {
        var items = new List<(string Key, string Href, string Text)> { ("tenants", "/console/tenants", "Tenants") };
        if (session.TenantId is not null)
        {
            items.AddRange([
                ("channels", "/console/channels", "Channels"),
                ("agents", "/console/agents", "Agents"),
                ("bindings", "/console/bindings", "Bindings"),
                ("customers", "/console/customers", "Customers"),
                ("conversations", "/console/conversations", "Conversations"),
                ("deliveries", "/console/deliveries", "Deliveries"),
                ("turns", "/console/turns", "Turns"),
                ("join-links", "/console/join-links", "Join links"),
            ]);
        }

        items.Add(("keys", "/console/keys", "API keys"));
        if (session.IsPlatformAdmin) items.Add(("plugins", "/console/plugins", "Plugins"));
        return H($"<nav aria-label=\"Console sections\"><ul>{items.Select(i => i.Key == section
            ? H($"<li><a href=\"{i.Href}\" aria-current=\"page\">{i.Text}</a></li>")
            : H($"<li><a href=\"{i.Href}\">{i.Text}</a></li>"))}</ul></nav>");
    }

    private Markup Who()
    {
        var role = session.IsPlatformAdmin ? "platform admin" : "tenant admin";
        var tenant = session.TenantName is { } name ? H($"<span class=\"tenant\">{name}</span> · ") : Markup.Empty;
        return H($"<div class=\"who\">{tenant}<span>{role}</span><form method=\"post\" action=\"/console/signout\">{Csrf}<button type=\"submit\" class=\"link\">Sign out</button></form></div>");
    }
}
