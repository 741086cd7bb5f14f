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

namespace ClawScale.Plugins.Evolution.Tests.Fakes;

/// <summary>
/// A fake Evolution API server for one instance: real Kestrel on 127.0.0.1 with a free port, answering like Evolution
/// API v2 (reference "Send Plain Text": 201 with the sent message's key; "Connection State": <c>{"instance":{"instanceName",
/// "state"}}</c>; errors in Evolution's <c>{"status","error","response":{"message"}}</c> shape: 401 for a wrong
/// <c>apikey</c> header, 404 for an unknown instance). Send failures can be scripted.
/// </summary>
public sealed class FakeEvolutionApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeEvolutionCall> _calls = [];
    private readonly Queue<(int Status, string Body, int? RetryAfter)> _failures = new();
    private int _next;

    private FakeEvolutionApi(WebApplication app, string apiKey, string instance)
    {
        _app = app;
        ApiKey = apiKey;
        Instance = instance;
    }

    public string ApiKey { get; }

    public string Instance { get; }

    /// <summary>What connectionState answers (<c>open</c>, <c>connecting</c>, <c>close</c>).</summary>
    public string State { get; set; } = "open";

    /// <summary>The base URL to give the channel as <c>base_url</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<FakeEvolutionCall> Sends
    {
        get
        {
            lock (_gate)
                return _calls.Where(c => c.Api == "sendText").ToArray();
        }
    }

    public static async Task<FakeEvolutionApi> StartAsync(string apiKey = "B6D711FCDE4D4FD5936544120E713976", string instance = "clawbot")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeEvolutionApi(app, apiKey, instance);
        app.MapPost("/message/sendText/{instance}", fake.HandleSendAsync);
        app.MapGet("/instance/connectionState/{instance}", fake.HandleStateAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/'));
        return fake;
    }

    /// <summary>The next send answers HTTP <paramref name="status"/> with <paramref name="body"/>.</summary>
    public void FailNextSend(int status, string body, int? retryAfterSeconds = null)
    {
        lock (_gate)
            _failures.Enqueue((status, body, retryAfterSeconds));
    }

    /// <summary>An error body in Evolution's shape.</summary>
    public static string Error(int status, string error, object message) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["status"] = status, ["error"] = error, ["response"] = new Dictionary<string, object> { ["message"] = message } });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleSendAsync(HttpContext context, string instance)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var call = new FakeEvolutionCall("sendText", instance, context.Request.Headers["apikey"].ToString(), document.RootElement.Clone());
        (int Status, string Body, int? RetryAfter)? failure = null;
        int n;
        lock (_gate)
        {
            _calls.Add(call);
            if (_failures.Count > 0)
                failure = _failures.Dequeue();
            n = ++_next;
        }

        if (await RefusedAsync(context, call))
            return;
        if (failure is { } f)
        {
            if (f.RetryAfter is { } seconds)
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, f.Status, f.Body);
            return;
        }

        var number = document.RootElement.GetProperty("number").GetString()!;
        var jid = number.Contains('@', StringComparison.Ordinal) ? number : number + "@s.whatsapp.net";
        var text = document.RootElement.GetProperty("text").GetString();
        await WriteAsync(context, 201, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["key"] = new Dictionary<string, object> { ["remoteJid"] = jid, ["fromMe"] = true, ["id"] = $"BAE594145F4C{n:D4}" },
            ["message"] = new Dictionary<string, object> { ["extendedTextMessage"] = new Dictionary<string, object?> { ["text"] = text } },
            ["messageTimestamp"] = "1717689097",
            ["status"] = "PENDING",
        }));
    }

    private async Task HandleStateAsync(HttpContext context, string instance)
    {
        var call = new FakeEvolutionCall("connectionState", instance, context.Request.Headers["apikey"].ToString(), null);
        lock (_gate)
            _calls.Add(call);
        if (await RefusedAsync(context, call))
            return;
        await WriteAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["instance"] = new Dictionary<string, string> { ["instanceName"] = Instance, ["state"] = State },
        }));
    }

    private async Task<bool> RefusedAsync(HttpContext context, FakeEvolutionCall call)
    {
        if (call.ApiKey != ApiKey)
        {
            await WriteAsync(context, 401, Error(401, "Unauthorized", "Unauthorized"));
            return true;
        }

        if (call.Instance != Instance)
        {
            await WriteAsync(context, 404, Error(404, "Not Found", new[] { $"The \"{call.Instance}\" instance does not exist" }));
            return true;
        }

        return false;
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, Encoding.UTF8);
    }
}
