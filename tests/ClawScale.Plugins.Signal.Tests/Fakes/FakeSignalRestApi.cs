using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Signal.Tests.Fakes;

/// <summary>
/// A fake bbernhard/signal-cli-rest-api: real Kestrel on 127.0.0.1 (free port). Serves, as the REST API's swagger and
/// src/api/api.go document them: <c>GET /v1/about</c> (<c>mode</c> normal or json-rpc); <c>GET /v1/receive/{number}</c>
/// in normal mode (the queued items as a JSON array, waiting up to <c>timeout</c> seconds when none are queued; items
/// are gone once answered, as signal-cli removes them from the Signal server) and, in json-rpc mode, the same path as a
/// WebSocket pushing one item per text frame (a plain GET then gets 400 with the upgrade error, like gin's upgrader);
/// <c>POST /v2/send</c> (201 <c>{"timestamp": "…"}</c>, 400 <c>{"error": …}</c> when recipients or number are missing,
/// scripted failures such as 429 <c>{"error", "challenge_tokens", "account"}</c>). With <see cref="RequiredToken"/> set,
/// it acts as the authenticating proxy in front of the REST API: a missing or wrong bearer token gets 401.
/// </summary>
public sealed class FakeSignalRestApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeSignalCall> _calls = [];
    private readonly List<string> _queue = [];
    private readonly Queue<(int Status, string Body, int? RetryAfter)> _sendFailures = new();
    private (int Status, string Body)? _everySendFails;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextTimestamp = 1745380000000;

    private FakeSignalRestApi(WebApplication app, string mode)
    {
        _app = app;
        Mode = mode;
    }

    /// <summary>The base URL to give the adapter as <c>api_base_url</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary><c>normal</c> or <c>json-rpc</c>.</summary>
    public string Mode { get; }

    /// <summary>When set, every call must carry <c>Authorization: Bearer {token}</c>.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>WebSockets open right now (json-rpc mode).</summary>
    public int OpenSockets => Volatile.Read(ref _openSockets);

    private int _openSockets;

    /// <summary>Every call so far.</summary>
    public IReadOnlyList<FakeSignalCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    /// <summary>The items queued and not yet received.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    /// <summary>Starts a fake in <paramref name="mode"/> (<c>normal</c> or <c>json-rpc</c>).</summary>
    public static async Task<FakeSignalRestApi> StartAsync(string mode = "normal")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeSignalRestApi(app, mode);
        app.UseWebSockets();
        app.MapGet("/v1/about", (Delegate)fake.AboutAsync);
        app.Map("/v1/receive/{number}", fake.ReceiveAsync);
        app.MapPost("/v2/send", (Delegate)fake.SendAsync);
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return fake;
    }

    /// <summary>The <c>POST /v2/send</c> calls (failed ones included), in order.</summary>
    public IReadOnlyList<FakeSignalCall> Sends => Calls.Where(c => c.Path == "/v2/send").ToArray();

    /// <summary>The receive calls (polls and WebSocket handshakes).</summary>
    public IReadOnlyList<FakeSignalCall> Receives => Calls.Where(c => c.Path.StartsWith("/v1/receive/", StringComparison.Ordinal)).ToArray();

    /// <summary>Queues one received item (signal-cli's <c>{"envelope", "account"}</c> JSON).</summary>
    public void Enqueue(string itemJson)
    {
        lock (_gate)
        {
            _queue.Add(JsonNode.Parse(itemJson)!.ToJsonString());
            _arrived.TrySetResult();
        }
    }

    /// <summary>The next <paramref name="count"/> sends answer <paramref name="status"/> with <paramref name="body"/>.</summary>
    public void FailNextSends(int count, int status, string body, int? retryAfterSeconds = null)
    {
        lock (_gate)
            for (var i = 0; i < count; i++) _sendFailures.Enqueue((status, body, retryAfterSeconds));
    }

    /// <summary>Every send answers <paramref name="status"/> until <see cref="HealSends"/>.</summary>
    public void FailAllSends(int status, string body)
    {
        lock (_gate) _everySendFails = (status, body);
    }

    /// <summary>Sends succeed again.</summary>
    public void HealSends()
    {
        lock (_gate)
        {
            _everySendFails = null;
            _sendFailures.Clear();
        }
    }

    private bool Authorized(HttpContext context, string body, out IResult? refusal)
    {
        refusal = null;
        var auth = context.Request.Headers.Authorization.FirstOrDefault();
        if (RequiredToken is null || auth == "Bearer " + RequiredToken) return true;
        Record(context, body, auth, 401);
        refusal = Results.Json(new { error = "Unauthorized" }, statusCode: 401);
        return false;
    }

    private void Record(HttpContext context, string body, string? auth, int status)
    {
        lock (_gate)
            _calls.Add(new FakeSignalCall(context.Request.Method, context.Request.Path + context.Request.QueryString, body, auth, status, DateTimeOffset.UtcNow));
    }

    private IResult AboutAsync(HttpContext context)
    {
        if (!Authorized(context, string.Empty, out var refusal)) return refusal!;
        Record(context, string.Empty, context.Request.Headers.Authorization.FirstOrDefault(), 200);
        return Results.Json(new JsonObject
        {
            ["versions"] = new JsonArray("v1", "v2"),
            ["build"] = 2,
            ["mode"] = Mode,
            ["version"] = "0.92",
            ["capabilities"] = new JsonObject { ["v2/send"] = new JsonArray("quotes", "mentions") },
        });
    }

    private async Task ReceiveAsync(HttpContext context, string number)
    {
        var auth = context.Request.Headers.Authorization.FirstOrDefault();
        if (!Authorized(context, string.Empty, out var refusal))
        {
            await refusal!.ExecuteAsync(context);
            return;
        }

        if (Mode == "json-rpc")
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                Record(context, string.Empty, auth, 400);
                await Results.Json(new { error = "websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header" }, statusCode: 400).ExecuteAsync(context);
                return;
            }

            Record(context, string.Empty, auth, 101);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            Interlocked.Increment(ref _openSockets);
            try
            {
                await PushAsync(socket, context.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref _openSockets);
            }

            return;
        }

        Record(context, string.Empty, auth, 200);
        var timeout = int.TryParse(context.Request.Query["timeout"], out var t) ? t : 1;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(timeout);
        while (true)
        {
            Task arrived;
            string? batch = null;
            lock (_gate)
            {
                if (_queue.Count > 0)
                {
                    batch = "[" + string.Join(",", _queue) + "]";
                    _queue.Clear();
                }

                arrived = _arrived.Task;
            }

            if (batch is not null)
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(batch, context.RequestAborted);
                return;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) break;
            try
            {
                await arrived.WaitAsync(left, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                break;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_gate)
                if (_arrived.Task.IsCompleted) _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync("[]", context.RequestAborted);
    }

    private async Task PushAsync(WebSocket socket, CancellationToken aborted)
    {
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[512];
            while (socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(buffer, aborted);
                if (r.MessageType == WebSocketMessageType.Close) return;
            }
        }, aborted);
        while (socket.State == WebSocketState.Open && !reading.IsCompleted)
        {
            string[] items;
            Task arrived;
            lock (_gate)
            {
                items = _queue.ToArray();
                _queue.Clear();
                if (_arrived.Task.IsCompleted) _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrived = _arrived.Task;
            }

            foreach (var item in items)
                await socket.SendAsync(Encoding.UTF8.GetBytes(item), WebSocketMessageType.Text, true, aborted);
            await Task.WhenAny(arrived, reading, Task.Delay(TimeSpan.FromSeconds(1), aborted));
        }
    }

    private async Task<IResult> SendAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var auth = context.Request.Headers.Authorization.FirstOrDefault();
        if (!Authorized(context, body, out var refusal)) return refusal!;
        (int Status, string Body, int? RetryAfter)? failure = null;
        lock (_gate)
        {
            if (_everySendFails is { } every) failure = (every.Status, every.Body, null);
            else if (_sendFailures.Count > 0) failure = _sendFailures.Dequeue();
        }

        if (failure is { } f)
        {
            Record(context, body, auth, f.Status);
            if (f.RetryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Text(f.Body, "application/json; charset=utf-8", Encoding.UTF8, f.Status);
        }

        var json = JsonNode.Parse(body);
        if (json?["recipients"] is not JsonArray { Count: > 0 })
        {
            Record(context, body, auth, 400);
            return Results.Json(new { error = "Couldn't process request - please provide at least one recipient" }, statusCode: 400);
        }

        if (string.IsNullOrEmpty((string?)json["number"]))
        {
            Record(context, body, auth, 400);
            return Results.Json(new { error = "Couldn't process request - please provide a valid number" }, statusCode: 400);
        }

        Record(context, body, auth, 201);
        var timestamp = Interlocked.Increment(ref _nextTimestamp);
        return Results.Json(new { timestamp = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) }, statusCode: 201);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
