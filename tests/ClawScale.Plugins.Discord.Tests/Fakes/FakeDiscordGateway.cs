using System.Net;
using System.Net.WebSockets;
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

namespace ClawScale.Plugins.Discord.Tests.Fakes;

/// <summary>
/// A fake Discord Gateway v10 on 127.0.0.1 (real Kestrel WebSockets) at <c>/gateway</c> and, as the READY
/// <c>resume_gateway_url</c>, <c>/resume</c>. On connect it sends op 10 Hello, then expects op 2 Identify (wrong token →
/// close 4004; answered with READY) or op 6 Resume (replays the dispatches after the given seq, like Discord, then
/// RESUMED). Heartbeats are recorded and ACKed unless <see cref="AckHeartbeats"/> is false. Tests dispatch events with
/// increasing sequence numbers (optionally "lost" on the wire, kept for replay), send op 7 / op 9, or close with a code.
/// </summary>
public sealed class FakeDiscordGateway : IAsyncDisposable
{
    public const string SessionId = "9d1f5b1c2e6a4f7b8c0d3e2f1a4b5c6d";

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeGatewayConnection> _connections = [];
    private readonly List<(long Seq, string Json)> _history = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _seq;
    private string? _session;

    private FakeDiscordGateway(WebApplication app, string token, string readyJson)
    {
        _app = app;
        Token = token;
        ReadyJson = readyJson;
    }

    public Uri Url { get; private set; } = null!;

    public Uri ResumeUrl { get; private set; } = null!;

    public string Token { get; }

    private string ReadyJson { get; }

    public int HeartbeatIntervalMs { get; set; } = 41250;

    public bool AckHeartbeats { get; set; } = true;

    /// <summary>When set, an Identify is answered by closing with this code (for example 4014).</summary>
    public int? CloseOnIdentify { get; set; }

    public IReadOnlyList<FakeGatewayConnection> Connections
    {
        get
        {
            lock (_gate)
                return _connections.ToArray();
        }
    }

    public FakeGatewayConnection Current => Connections[^1];

    public static async Task<FakeDiscordGateway> StartAsync(string token, string readyJson)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeDiscordGateway(app, token, readyJson);
        app.UseWebSockets();
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var ws = "ws" + address["http".Length..];
        fake.Url = new Uri(ws + "/gateway");
        fake.ResumeUrl = new Uri(ws + "/resume");
        return fake;
    }

    /// <summary>
    /// Dispatches an event with the next sequence number. With <paramref name="lost"/>, it is not sent on the current
    /// connection (as if the connection died) but is kept for a resume to replay.
    /// </summary>
    public async Task<long> DispatchAsync(string type, string dataJson, bool lost = false)
    {
        long seq;
        string json;
        lock (_gate)
        {
            seq = ++_seq;
            json = $$"""{"op":0,"s":{{seq}},"t":"{{type}}","d":{{dataJson}}}""";
            _history.Add((seq, json));
        }

        var connections = Connections;
        if (!lost && connections.Count > 0 && connections[^1] is { Ended: false } connection)
            await SendAsync(connection, json);
        return seq;
    }

    public Task SendReconnectAsync() => SendAsync(Current, """{"op":7,"d":null}""");

    public Task SendInvalidSessionAsync(bool resumable) => SendAsync(Current, $$"""{"op":9,"d":{{(resumable ? "true" : "false")}}}""");

    public async Task CloseAsync(int code)
    {
        var connection = Current;
        await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)code, "closed by test", CancellationToken.None);
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeGatewayConnection(socket, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty);
        lock (_gate)
            _connections.Add(connection);
        var token = _stopping.Token;
        try
        {
            await SendAsync(connection, $$$"""{"op":10,"s":null,"t":null,"d":{"heartbeat_interval":{{{HeartbeatIntervalMs}}}}}""");
            while (true)
            {
                var text = await ReceiveAsync(socket, token);
                if (text is null)
                    break;
                using var doc = JsonDocument.Parse(text);
                var op = doc.RootElement.GetProperty("op").GetInt32();
                var d = doc.RootElement.GetProperty("d").Clone();
                switch (op)
                {
                    case 1:
                        connection.AddHeartbeat(d.ValueKind == JsonValueKind.Number ? d.GetInt64() : null);
                        if (AckHeartbeats)
                            await SendAsync(connection, """{"op":11}""");
                        break;
                    case 2:
                        connection.Identify = d;
                        if (d.GetProperty("token").GetString() != Token)
                        {
                            await socket.CloseOutputAsync((WebSocketCloseStatus)4004, "Authentication failed.", token);
                            break;
                        }

                        if (CloseOnIdentify is { } code)
                        {
                            await socket.CloseOutputAsync((WebSocketCloseStatus)code, "Disallowed intent(s).", token);
                            break;
                        }

                        lock (_gate)
                        {
                            _seq = 0;
                            _history.Clear();
                            _session = SessionId;
                        }

                        var ready = JsonNode.Parse(ReadyJson)!;
                        ready["resume_gateway_url"] = ResumeUrl.AbsoluteUri.TrimEnd('/');
                        await DispatchAsync("READY", ready.ToJsonString());
                        break;
                    case 6:
                        connection.Resume = d;
                        var resumeSeq = d.GetProperty("seq").ValueKind == JsonValueKind.Number ? d.GetProperty("seq").GetInt64() : 0;
                        if (d.GetProperty("session_id").GetString() != _session || d.GetProperty("token").GetString() != Token)
                        {
                            await SendAsync(connection, """{"op":9,"d":false}""");
                            break;
                        }

                        (long Seq, string Json)[] replay;
                        lock (_gate)
                            replay = _history.Where(h => h.Seq > resumeSeq).ToArray();
                        foreach (var (_, json) in replay)
                            await SendAsync(connection, json);
                        await DispatchAsync("RESUMED", "{}");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            connection.Ended = true;
        }
    }

    private static async Task SendAsync(FakeGatewayConnection connection, string json)
    {
        await connection.SendLock.WaitAsync();
        try
        {
            if (connection.Socket.State == WebSocketState.Open)
                await connection.Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    private static async Task<string?> ReceiveAsync(WebSocket socket, CancellationToken token)
    {
        var buffer = new byte[8192];
        using var stream = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return null;
            }

            stream.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(stream.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
