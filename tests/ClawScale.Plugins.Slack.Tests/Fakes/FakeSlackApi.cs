using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Slack.Tests.Fakes;

/// <summary>
/// A fake Slack: real Kestrel on 127.0.0.1 with a free port. Web API at <c>POST /api/{method}</c> answering in Slack's
/// <c>{ok, error}</c> envelope with Bearer-token checks (auth.test, chat.postMessage, apps.connections.open), and a
/// Socket Mode WebSocket endpoint at <c>/link?ticket=N</c> (the URL apps.connections.open returns) that sends
/// <c>hello</c> on connect. Records every call and connection; can script chat.postMessage failures.
/// </summary>
public sealed class FakeSlackApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeSlackCall> _calls = [];
    private readonly List<FakeSocketConnection> _connections = [];
    private readonly Queue<ScriptedFailure> _postFailures = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _nextTicket;
    private long _nextTs = 1_700_000_000_000100;

    private FakeSlackApi(WebApplication app, string botToken, string appToken, string botUserId)
    {
        _app = app;
        BotToken = botToken;
        AppToken = appToken;
        BotUserId = botUserId;
    }

    /// <summary>The Web API base URL to give the adapter as <c>api_base_url</c>, for example http://127.0.0.1:41234/api/.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    public string BotToken { get; }

    public string AppToken { get; }

    public string BotUserId { get; }

    /// <summary>Whether new WebSocket connections get a hello frame (false simulates a silent socket).</summary>
    public bool SendHello { get; set; } = true;

    /// <summary>The error apps.connections.open answers with, or null for success.</summary>
    public string? OpenConnectionError { get; set; }

    public IReadOnlyList<FakeSlackCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    public IReadOnlyList<FakeSocketConnection> Connections
    {
        get
        {
            lock (_gate)
                return _connections.ToArray();
        }
    }

    public static async Task<FakeSlackApi> StartAsync(string botToken, string appToken, string botUserId)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeSlackApi(app, botToken, appToken, botUserId);
        app.UseWebSockets();
        app.MapPost("/api/{method}", fake.HandleApiAsync);
        app.Map("/link", fake.HandleSocketAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ApiBaseUrl = new Uri(address.TrimEnd('/') + "/api/");
        return fake;
    }

    public IReadOnlyList<FakeSlackCall> CallsTo(string method) => Calls.Where(c => c.Method == method).ToArray();

    /// <summary>The next <paramref name="count"/> chat.postMessage calls fail: HTTP <paramref name="status"/>, Slack error (null: no envelope), Retry-After.</summary>
    public void FailNextPosts(int count, int status, string? error, int? retryAfterSeconds = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                _postFailures.Enqueue(new ScriptedFailure(status, error, retryAfterSeconds));
        }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> WebSocket connections were accepted; returns the last of them.</summary>
    public async Task<FakeSocketConnection> WaitForConnectionAsync(int count, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var connections = Connections;
            if (connections.Count >= count)
                return connections[count - 1];
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{connections.Count} Socket Mode connections, expected {count}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleApiAsync(HttpContext context, string method)
    {
        JsonElement? json = null;
        if (context.Request.HasJsonContentType())
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            json = document.RootElement.Clone();
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        lock (_gate)
            _calls.Add(new FakeSlackCall { Method = method, Authorization = authorization, Json = json });

        var expectedToken = method == "apps.connections.open" ? AppToken : BotToken;
        if (authorization != "Bearer " + expectedToken)
        {
            await WriteAsync(context, 200, new JsonObject { ["ok"] = false, ["error"] = "invalid_auth" });
            return;
        }

        switch (method)
        {
            case "auth.test":
                await WriteAsync(context, 200, new JsonObject
                {
                    ["ok"] = true, ["url"] = "https://fake.slack.com/", ["team"] = "Fake Team", ["user"] = "clawbot",
                    ["team_id"] = "T0FAKE0001", ["user_id"] = BotUserId, ["bot_id"] = "B0FAKE0001", ["is_enterprise_install"] = false,
                });
                break;
            case "apps.connections.open":
                if (OpenConnectionError is { } openError)
                {
                    await WriteAsync(context, 200, new JsonObject { ["ok"] = false, ["error"] = openError });
                    break;
                }

                var ticket = Interlocked.Increment(ref _nextTicket).ToString(CultureInfo.InvariantCulture);
                var host = context.Request.Host.Value;
                await WriteAsync(context, 200, new JsonObject { ["ok"] = true, ["url"] = $"ws://{host}/link?ticket={ticket}" });
                break;
            case "chat.postMessage":
                await PostMessageAsync(context, json);
                break;
            default:
                await WriteAsync(context, 200, new JsonObject { ["ok"] = false, ["error"] = "unknown_method" });
                break;
        }
    }

    private async Task PostMessageAsync(HttpContext context, JsonElement? json)
    {
        ScriptedFailure? failure = null;
        long ts;
        lock (_gate)
        {
            if (_postFailures.Count > 0)
                failure = _postFailures.Dequeue();
            ts = ++_nextTs;
        }

        if (failure is not null)
        {
            if (failure.RetryAfterSeconds is { } retryAfter)
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            if (failure.Error is null)
            {
                context.Response.StatusCode = failure.Status;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>upstream trouble</html>");
                return;
            }

            await WriteAsync(context, failure.Status, new JsonObject { ["ok"] = false, ["error"] = failure.Error });
            return;
        }

        var channel = json?.GetProperty("channel").GetString();
        var tsText = (ts / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (ts % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        await WriteAsync(context, 200, new JsonObject
        {
            ["ok"] = true,
            ["channel"] = channel,
            ["ts"] = tsText,
            ["message"] = new JsonObject { ["type"] = "message", ["user"] = BotUserId, ["bot_id"] = "B0FAKE0001", ["ts"] = tsText },
        });
    }

    private async Task HandleSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeSocketConnection(context.Request.Query["ticket"].ToString(), socket);
        lock (_gate)
            _connections.Add(connection);
        if (SendHello)
            await connection.SendAsync("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"applink-fake\",\"approximate_connection_time\":18060},\"connection_info\":{\"app_id\":\"A0FAKE0001\"}}");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        await connection.ReceiveLoopAsync(linked.Token);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    private sealed record ScriptedFailure(int Status, string? Error, int? RetryAfterSeconds);
}
