using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Antiforgery;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>
/// Sign-in with an API key and sign-out. The key is checked by the same authenticator as the gRPC API, with the same
/// failed-attempt limit per client address (<see cref="AuthFailureLimiter"/>, counted for the browser's address).
/// Runtime keys cannot sign in (403).
/// </summary>
internal static class ConsoleSignIn
{
    public static IResult Form(HttpContext http, IAntiforgery antiforgery)
    {
        var ended = http.Request.Query.ContainsKey("ended") ? "Your session ended: the API key was revoked or is no longer accepted. Sign in again." : null;
        return Page(http, antiforgery, ended, StatusCodes.Status200OK);
    }

    public static async Task<IResult> Submit(
        HttpContext http, IAntiforgery antiforgery, ApiKeyAuthenticator authenticator, AuthFailureLimiter failures,
        ConsoleSessionStore sessions, ConsoleApi api, ILoggerFactory loggers, TimeProvider time)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleEndpoints));
        var remote = ConsoleEndpoints.Remote(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var key = form["api_key"].ToString().Trim();
        var peer = AuthFailureLimiter.PeerKey(http.Connection.RemoteIpAddress);
        if (failures.IsEnabled && failures.RetryAfter(peer) is { } wait)
        {
            ConsoleLog.SignInRefused(logger, remote, "too many failed attempts");
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(http, antiforgery, $"Too many failed sign-ins from your address. Try again in {Math.Ceiling(wait.TotalSeconds):0} seconds.", StatusCodes.Status429TooManyRequests);
        }

        if (key.Length == 0)
            return Page(http, antiforgery, "Enter an API key: the secret that starts with csk_.", StatusCodes.Status400BadRequest);

        var caller = await authenticator.AuthenticateAsync("Bearer " + key, http.RequestAborted);
        if (caller is null)
        {
            if (failures.IsEnabled) failures.RecordFailure(peer);
            ConsoleLog.SignInRefused(logger, remote, "unknown or revoked API key");
            return Page(http, antiforgery,
                "This API key is not recognised or has been revoked. Check that you pasted the whole secret (csk_…); a platform admin can create a new key under API keys.",
                StatusCodes.Status401Unauthorized);
        }

        if (caller.Scope == ApiKeyScopeValue.Runtime)
        {
            ConsoleLog.SignInRefused(logger, remote, "runtime key");
            return Page(http, antiforgery, "Runtime keys cannot sign in to the console. Use a platform-admin or tenant-admin key.", StatusCodes.Status403Forbidden);
        }

        var session = sessions.Create(key, caller.KeyId, caller.IsPlatformAdmin, caller.TenantId);
        if (caller.TenantId is { } tenantId)
        {
            try
            {
                var call = new CallOptions(new Metadata { { "authorization", "Bearer " + key } }, time.GetUtcNow().UtcDateTime + ConsoleApi.CallTimeout, http.RequestAborted);
                session.TenantName = (await api.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenantId }, call)).Tenant.DisplayName;
            }
            catch (RpcException)
            {
                session.TenantName = null;
            }
        }

        http.Response.Cookies.Append(ConsoleSessionStore.CookieName, session.Id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/console",
            IsEssential = true,
        });
        ConsoleLog.SignedIn(logger, caller.KeyId, caller.IsPlatformAdmin ? "platform-admin" : "tenant-admin", remote);
        return Results.Redirect("/console");
    }

    public static IResult SignOut(HttpContext http, ConsoleSessionStore sessions, ILoggerFactory loggers)
    {
        var request = ConsoleRequest.Of(http);
        sessions.Remove(request.Session.Id);
        http.Response.Cookies.Delete(ConsoleSessionStore.CookieName, new CookieOptions { Path = "/console" });
        var logger = loggers.CreateLogger(typeof(ConsoleEndpoints));
        var keyId = request.Session.KeyId;
        ConsoleLog.SignedOut(logger, keyId);
        return Results.Redirect("/console/signin");
    }

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string? error, int status)
    {
        var content = H($"""
            {Error(error)}
            <form method="post" action="/console/signin" class="card narrow">
            {ConsoleRequest.Antiforgery(http, antiforgery)}
            {Input("api_key", "API key", null, "password", required: true, help: "A platform-admin or tenant-admin key (csk_…). It stays on the server; your browser only gets a session cookie.", autocomplete: "current-password")}
            <button type="submit">Sign in</button>
            </form>
            """);
        return ConsoleLayout.Bare(http, "Sign in", content, status);
    }
}
