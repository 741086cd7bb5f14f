using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WhatsApp.Tests.Fakes;

/// <summary>
/// A fake Graph API for one WhatsApp business number: real Kestrel on 127.0.0.1 with a free port.
/// <c>POST /{version}/{phone-number-id}/messages</c> answers like the Cloud API docs ("Messages" → response:
/// <c>{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid.…"}]}</c>) and
/// <c>GET /{version}/{phone-number-id}</c> with the number's fields; a wrong Bearer token gets the documented 401
/// <c>OAuthException</c> code 190. Failures can be scripted (status, raw body, Retry-After).
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeGraphCall> _calls = [];
    private readonly Queue<(int Status, string Body, string? ContentType, int? RetryAfter)> _failures = new();
    private int _next;

    private FakeGraphApi(WebApplication app, string accessToken, string phoneNumberId)
    {
        _app = app;
        AccessToken = accessToken;
        PhoneNumberId = phoneNumberId;
    }

    public string AccessToken { get; }

    public string PhoneNumberId { get; }

    /// <summary>The base URL to give the channel as <c>graph_base_url</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<FakeGraphCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    public IReadOnlyList<FakeGraphCall> Sends => Calls.Where(c => c.Method == "POST").ToArray();

    public static async Task<FakeGraphApi> StartAsync(string accessToken = "EAAJB-test-access-token", string phoneNumberId = "106540352242922")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeGraphApi(app, accessToken, phoneNumberId);
        app.MapPost("/{version}/{phoneNumberId}/messages", fake.HandleSendAsync);
        app.MapGet("/{version}/{phoneNumberId}", fake.HandleGetAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/'));
        return fake;
    }

    /// <summary>The next send answers HTTP <paramref name="status"/> with <paramref name="body"/> (a Graph error JSON or anything else).</summary>
    public void FailNextSend(int status, string body, string contentType = "application/json", int? retryAfterSeconds = null)
    {
        lock (_gate)
            _failures.Enqueue((status, body, contentType, retryAfterSeconds));
    }

    /// <summary>A Graph error body in the documented shape (Graph API "Handling errors").</summary>
    public static string GraphError(int code, string message, string type = "OAuthException", int? subcode = null, string? details = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["error"] = new Dictionary<string, object?>
            {
                ["message"] = message,
                ["type"] = type,
                ["code"] = code,
                ["error_subcode"] = subcode,
                ["error_data"] = details is null ? null : new Dictionary<string, string> { ["messaging_product"] = "whatsapp", ["details"] = details },
                ["fbtrace_id"] = "Az8or2yhqkZfEZ-_4Qn_Bam",
            },
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleSendAsync(HttpContext context, string version, string phoneNumberId)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var call = new FakeGraphCall("POST", version, phoneNumberId, context.Request.Headers.Authorization.ToString(), document.RootElement.Clone());
        (int Status, string Body, string? ContentType, int? RetryAfter)? failure = null;
        int n;
        lock (_gate)
        {
            _calls.Add(call);
            if (_failures.Count > 0)
                failure = _failures.Dequeue();
            n = ++_next;
        }

        if (!Authorized(context, phoneNumberId))
        {
            await WriteAsync(context, 401, GraphError(190, "Invalid OAuth access token - Cannot parse access token"));
            return;
        }

        if (failure is { } f)
        {
            if (f.RetryAfter is { } seconds)
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, f.Status, f.Body, f.ContentType);
            return;
        }

        var to = document.RootElement.GetProperty("to").GetString();
        await WriteAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new[] { new Dictionary<string, string?> { ["input"] = to, ["wa_id"] = to } },
            ["messages"] = new[] { new Dictionary<string, string> { ["id"] = $"wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI{n:D5}" } },
        }));
    }

    private async Task HandleGetAsync(HttpContext context, string version, string phoneNumberId)
    {
        lock (_gate)
            _calls.Add(new FakeGraphCall("GET", version, phoneNumberId, context.Request.Headers.Authorization.ToString(), null));
        if (!Authorized(context, phoneNumberId))
        {
            await WriteAsync(context, 401, GraphError(190, "Invalid OAuth access token - Cannot parse access token"));
            return;
        }

        await WriteAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["verified_name"] = "Jasper's Market",
            ["display_phone_number"] = "+1 631-555-5555",
            ["quality_rating"] = "GREEN",
            ["id"] = PhoneNumberId,
        }));
    }

    private bool Authorized(HttpContext context, string phoneNumberId) =>
        context.Request.Headers.Authorization.ToString() == "Bearer " + AccessToken && phoneNumberId == PhoneNumberId;

    private static async Task WriteAsync(HttpContext context, int status, string body, string? contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, Encoding.UTF8);
    }
}
