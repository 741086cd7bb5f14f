using ClawScale.Kernel.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>
/// The admin web console at <c>/console</c> on the kernel's HTTP port: server-rendered HTML pages, plain forms, no
/// scripts. Sign-in takes an API key (platform-admin or tenant-admin); the key stays on the server in a session
/// (<see cref="ConsoleSessionStore"/>) whose random id is the only thing in the browser's cookie (HttpOnly,
/// SameSite=Strict, Secure over HTTPS). Every POST needs the anti-forgery token of the page it came from (400 without).
/// Every page calls the kernel's own gRPC API with the signed-in key (<see cref="ConsoleApi"/>), so tenant isolation and
/// roles are exactly the API's: NOT_FOUND → 404 page, PERMISSION_DENIED → 403 page, INVALID_ARGUMENT → the form again
/// with the message, UNAUTHENTICATED → signed out.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>Registers the console's services (sessions, loopback API clients, anti-forgery, options validation).</summary>
    /// <param name="services">The kernel's services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddClawScaleConsole(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<ClawScaleOptions>, ConsoleOptionsValidator>();
        services.AddSingleton<ConsoleSessionStore>();
        services.AddSingleton<ConsoleApi>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "clawscale_console_csrf";
            o.Cookie.Path = "/console";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
            // ConsoleLayout sends X-Frame-Options: DENY and a frame-ancestors policy itself.
            o.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    /// <summary>Maps <c>/console</c> (nothing when <see cref="ConsoleOptions.Enabled"/> is false).</summary>
    /// <param name="app">The kernel's route builder.</param>
    /// <returns>The route builder.</returns>
    public static IEndpointRouteBuilder MapClawScaleConsole(this IEndpointRouteBuilder app)
    {
        // Read from configuration, not IOptions: validating here would throw before every error is listed at start.
        if (!(app.ServiceProvider.GetService<IConfiguration>()?.GetValue($"{ClawScaleOptions.SectionName}:Console:Enabled", true) ?? true)) return app;

        var console = app.MapGroup("/console").ExcludeFromDescription();
        console.MapGet("/console.css", Stylesheet);
        console.MapGet("/signin", ConsoleSignIn.Form);
        console.MapPost("/signin", ConsoleSignIn.Submit).AddEndpointFilter(CsrfFilter);

        var pages = console.MapGroup(string.Empty).AddEndpointFilter(SessionFilter);
        pages.MapGet("/", (HttpContext http) => ConsoleRequest.Of(http).Session.TenantId is null ? Results.Redirect("/console/tenants") : Results.Redirect("/console/channels"));
        pages.MapPost("/signout", ConsoleSignIn.SignOut);
        ConsoleTenantPages.Map(pages);
        ConsoleChannelPages.Map(pages);
        ConsoleAgentPages.Map(pages);
        ConsoleCustomerPages.Map(pages);
        ConsoleActivityPages.Map(pages);
        ConsoleJoinLinkPages.Map(pages);
        ConsoleKeyPages.Map(pages);
        return app;
    }

    private static readonly Lazy<byte[]> Css = new(() =>
    {
        using var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream("ClawScale.Kernel.Console.console.css")
            ?? throw new InvalidOperationException("The console stylesheet is not embedded in the kernel assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static IResult Stylesheet(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Bytes(Css.Value, "text/css; charset=utf-8");
    }

    private static async ValueTask<object?> CsrfFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        ConsoleLayout.SecureHeaders(http.Response);
        return await IsValidPostAsync(http) ? await next(context) : CsrfRefused(http);
    }

    private static async ValueTask<object?> SessionFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        ConsoleLayout.SecureHeaders(http.Response);
        var store = services.GetRequiredService<ConsoleSessionStore>();
        var session = store.Get(http.Request.Cookies[ConsoleSessionStore.CookieName]);
        if (session is null) return Results.Redirect("/console/signin");
        if (HttpMethods.IsPost(http.Request.Method) && !await IsValidPostAsync(http)) return CsrfRefused(http);

        var request = new ConsoleRequest(http, session, services.GetRequiredService<ConsoleApi>(), services.GetRequiredService<IAntiforgery>(), services.GetRequiredService<TimeProvider>());
        http.Items[typeof(ConsoleRequest)] = request;
        try
        {
            return await next(context);
        }
        catch (ConsoleTenantRequiredException)
        {
            return request.Redirect("/console/tenants", "Pick a tenant first: its channels, agents and deliveries are shown then.");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (RpcException ex)
        {
            return Refused(request, ex, store, services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleEndpoints)));
        }
    }

    private static async Task<bool> IsValidPostAsync(HttpContext http)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static IResult CsrfRefused(HttpContext http)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleEndpoints));
        ConsoleLog.CsrfRefused(logger, http.Request.Path.Value, Remote(http));
        return ConsoleLayout.Bare(http, "Form refused", H($"""
            <p class="alert error" role="alert">This form was not accepted: it did not come from a console page of this kernel, or the page is too old.</p>
            <p>Go back, reload the page and submit it again. <a href="/console">Back to the console</a>.</p>
            """), StatusCodes.Status400BadRequest);
    }

    /// <summary>The one place where an API refusal becomes a page.</summary>
    private static IResult Refused(ConsoleRequest request, RpcException ex, ConsoleSessionStore store, ILogger logger)
    {
        var http = request.Http;
        if (ex.StatusCode == StatusCode.Unauthenticated)
        {
            ConsoleLog.SessionKeyRefused(logger, request.Session.KeyId);
            store.Remove(request.Session.Id);
            http.Response.Cookies.Delete(ConsoleSessionStore.CookieName, new CookieOptions { Path = "/console" });
            return Results.Redirect("/console/signin?ended=1");
        }

        var (status, title, text) = ex.StatusCode switch
        {
            StatusCode.NotFound => (StatusCodes.Status404NotFound, "Not found",
                "Nothing with this id is visible to your API key: it does not exist, was deleted, or belongs to another tenant."),
            StatusCode.PermissionDenied => (StatusCodes.Status403Forbidden, "Not allowed", ex.Status.Detail),
            StatusCode.ResourceExhausted => (StatusCodes.Status429TooManyRequests, "Too many requests", ex.Status.Detail),
            StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.OutOfRange =>
                (StatusCodes.Status400BadRequest, "Request refused", ex.Status.Detail),
            _ => (StatusCodes.Status503ServiceUnavailable, "Kernel not answering", "The kernel's API did not answer in time. Try again in a moment; if it persists, check the kernel's logs and /readyz."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
            ConsoleLog.ApiUnavailable(logger, http.Request.Method, http.Request.Path.Value, ex.StatusCode, ex.Status.Detail);
        else
            ConsoleLog.ApiRefused(logger, http.Request.Method, http.Request.Path.Value, request.Session.KeyId, ex.StatusCode);
        return request.Page(title, string.Empty, H($"<p class=\"alert error\" role=\"alert\">{text}</p><p><a href=\"/console\">Back to the console</a></p>"), status);
    }

    /// <summary>The client's address, for logs.</summary>
    internal static string Remote(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The webhook URL platforms call for a channel: <c>ClawScale:PublicBaseUrl</c> or, unset, the console's own origin.</summary>
    internal static string PublicUrl(HttpContext http, string path)
    {
        var configured = http.RequestServices.GetRequiredService<IOptions<ClawScaleOptions>>().Value.PublicBaseUrl;
        var origin = configured is { Length: > 0 } ? configured.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}";
        return origin + path;
    }
}
