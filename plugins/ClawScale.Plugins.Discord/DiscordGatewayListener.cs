using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Discord.Model;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// The Gateway v10 client of one channel ("Gateway" → "Connections"): Hello → Identify (or Resume) → heartbeats every
/// <c>heartbeat_interval</c>, the first after <c>interval × jitter</c>; a beat without an ACK since the previous one
/// marks a zombie connection, which is dropped and resumed. op 7 → resume; op 9 → resume when <c>d</c> is true, else
/// wait 1–5 s and identify anew; close codes 4004 and 4010–4014 are reported and end the listener; 4007/4009
/// re-identify; any other loss resumes. The sequence advances past a MESSAGE_CREATE only after the sink accepted
/// it; when the sink fails, the connection is dropped and resumed from the last accepted sequence, so Discord replays it.
/// </summary>
internal sealed class DiscordGatewayListener
{
    private const long NoSequence = -1;

    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly DiscordChannelAdapter _adapter;
    private readonly ChannelContext _context;
    private readonly string _token;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private string? _sessionId;
    private string? _resumeUrl;
    private long _sequence = NoSequence;
    private string? _fatalError;

    public DiscordGatewayListener(DiscordChannelAdapter adapter, ChannelContext context, string token)
    {
        _adapter = adapter;
        _context = context;
        _token = token;
        _logger = context.Logger;
        _time = context.TimeProvider;
    }

    private enum Next
    {
        Resume,
        ResumeAfterBackoff,
        Identify,
        Stop,
    }

    public async Task RunAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        var failures = 0;
        var gatewayUrl = _adapter.Options.GatewayUrl;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (gatewayUrl is null)
                {
                    var bot = await _adapter.Api.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
                    if (bot.StatusCode == 401)
                    {
                        await StopAsync("Discord rejected the bot token (401 on GET /gateway/bot); set credentials.bot_token to the current token from the developer portal's Bot page", cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    if (!bot.Ok || !Uri.TryCreate(bot.Value?.Url, UriKind.Absolute, out gatewayUrl))
                    {
                        gatewayUrl = null;
                        failures++;
                        await BackoffAsync(failures, null, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                var resuming = _sessionId is not null;
                var url = resuming && _resumeUrl is not null && Uri.TryCreate(_resumeUrl, UriKind.Absolute, out var resumeUri) ? resumeUri : gatewayUrl;
                var (next, established) = await RunConnectionAsync(url, sink, cancellationToken).ConfigureAwait(false);
                failures = established ? 0 : failures + 1;
                switch (next)
                {
                    case Next.Stop:
                        await StopAsync(_fatalError!, cancellationToken).ConfigureAwait(false);
                        return;
                    case Next.Identify:
                        _sessionId = null;
                        _resumeUrl = null;
                        Interlocked.Exchange(ref _sequence, NoSequence);
                        // Invalid Session: "wait a random amount of time—between 1 and 5 seconds—then send a fresh Identify".
                        await Task.Delay(TimeSpan.FromSeconds(1 + (4 * _adapter.NextRandom())), _time, cancellationToken).ConfigureAwait(false);
                        break;
                    case Next.ResumeAfterBackoff:
                        await BackoffAsync(Math.Max(failures, 1), null, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        if (failures > 0)
                            await BackoffAsync(failures, null, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or WebSocketException)
        {
            // Stopping: cancelling aborts the socket, and a receive racing the abort may see the Aborted socket
            // (WebSocketException) instead of the cancellation; either way the listener ends quietly.
        }
    }

    private async Task<(Next Next, bool Established)> RunConnectionAsync(Uri baseUrl, IInboundSink sink, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sendLock = new SemaphoreSlim(1, 1);
        var zombie = false;
        var established = false;
        Task heartbeats = Task.CompletedTask;
        try
        {
            var builder = new UriBuilder(baseUrl) { Query = "v=10&encoding=json" };
            try
            {
                // Through the kernel's HttpClient: its network guard applies to the Gateway URL (config or resume_gateway_url).
                await socket.ConnectAsync(builder.Uri, _context.HttpClient, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
            {
                DiscordLog.GatewayConnectFailed(_logger, 0, ex);
                return (Next.ResumeAfterBackoff, false);
            }

            var hello = await ReceiveAsync(socket, connection.Token).ConfigureAwait(false);
            if (hello is null || hello.Op != 10)
                return (Close(socket, "no Hello"), false);
            var interval = TimeSpan.FromMilliseconds(hello.D.Deserialize(DiscordJsonContext.Default.Hello)?.HeartbeatInterval ?? 41250);
            var acked = 1;

            if (_sessionId is not null)
                await SendAsync(socket, sendLock, ResumePayload(), connection.Token).ConfigureAwait(false);
            else
                await SendAsync(socket, sendLock, IdentifyPayload(), connection.Token).ConfigureAwait(false);

            heartbeats = HeartbeatAsync();

            while (true)
            {
                var payload = await ReceiveAsync(socket, connection.Token).ConfigureAwait(false);
                if (payload is null)
                    return (Close(socket, null), established);
                switch (payload.Op)
                {
                    case 0:
                        var accepted = await DispatchAsync(payload, sink, connection.Token).ConfigureAwait(false);
                        if (!accepted)
                        {
                            await CloseAsync(socket, cancellationToken).ConfigureAwait(false);
                            return (Next.ResumeAfterBackoff, established);
                        }

                        if (payload.T is "READY" or "RESUMED")
                            established = true;
                        break;
                    case 1:
                        await SendAsync(socket, sendLock, HeartbeatPayload(), connection.Token).ConfigureAwait(false);
                        break;
                    case 7:
                        DiscordLog.GatewayReconnect(_logger, "op 7 Reconnect", "resume");
                        await CloseAsync(socket, cancellationToken).ConfigureAwait(false);
                        return (Next.Resume, true);
                    case 9:
                        var resumable = payload.D.ValueKind == JsonValueKind.True;
                        DiscordLog.GatewayReconnect(_logger, "op 9 Invalid Session", resumable ? "resume" : "identify");
                        await CloseAsync(socket, cancellationToken).ConfigureAwait(false);
                        return (resumable ? Next.Resume : Next.Identify, true);
                    case 11:
                        Volatile.Write(ref acked, 1);
                        break;
                }
            }

            async Task HeartbeatAsync()
            {
                try
                {
                    // "Heartbeat Interval": the first heartbeat after heartbeat_interval * jitter, jitter in [0, 1).
                    await Task.Delay(interval * _adapter.NextRandom(), _time, connection.Token).ConfigureAwait(false);
                    while (true)
                    {
                        if (Interlocked.Exchange(ref acked, 0) == 0)
                        {
                            zombie = true;
                            DiscordLog.Zombie(_logger);
                            await connection.CancelAsync().ConfigureAwait(false);
                            return;
                        }

                        await SendAsync(socket, sendLock, HeartbeatPayload(), connection.Token).ConfigureAwait(false);
                        await Task.Delay(interval, _time, connection.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
                {
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && zombie)
        {
            return (Next.Resume, established);
        }
        catch (Exception ex) when (ex is WebSocketException or JsonException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            DiscordLog.GatewayConnectFailed(_logger, 0, ex);
            return (socket.CloseStatus is { } ? Close(socket, null) : Next.Resume, established);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            try
            {
                await heartbeats.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            sendLock.Dispose();
        }
    }

    private async Task<bool> DispatchAsync(GatewayPayload payload, IInboundSink sink, CancellationToken cancellationToken)
    {
        switch (payload.T)
        {
            case "READY":
                var ready = payload.D.Deserialize(DiscordJsonContext.Default.Ready);
                _sessionId = ready?.SessionId;
                _resumeUrl = ready?.ResumeGatewayUrl;
                if (ready?.User?.Id is { Length: > 0 } botId)
                    _adapter.BotUserId = botId;
                DiscordLog.GatewayReady(_logger, _adapter.BotUserId, false);
                await ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
                break;
            case "RESUMED":
                DiscordLog.GatewayReady(_logger, _adapter.BotUserId, true);
                await ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
                break;
            case "MESSAGE_CREATE":
                var message = payload.D.Deserialize(DiscordJsonContext.Default.DiscordMessage);
                if (message is null)
                    break;
                var inbound = DiscordMapper.TryMapMessage(message, _adapter.BotUserId, out var reason);
                if (inbound is null)
                {
                    DiscordLog.MessageIgnored(_logger, message.Id, reason!);
                    break;
                }

                try
                {
                    await sink.AcceptAsync([inbound], cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    DiscordLog.SinkFailed(_logger, message.Id, ex);
                    return false;
                }

                break;
        }

        if (payload.S is { } sequence)
            Interlocked.Exchange(ref _sequence, sequence);
        return true;
    }

    private Next Close(WebSocket socket, string? why)
    {
        var code = (int?)socket.CloseStatus;
        var fatal = code switch
        {
            4004 => "Discord closed the Gateway with 4004 Authentication failed: the bot token is wrong or was reset; set credentials.bot_token to the current token from the developer portal's Bot page",
            4010 => "Discord closed the Gateway with 4010 Invalid shard; this plugin connects unsharded, so report this as a bug",
            4011 => "Discord closed the Gateway with 4011 Sharding required: the bot is in too many guilds for one connection, which this plugin does not support yet",
            4012 => "Discord closed the Gateway with 4012 Invalid API version; the plugin speaks v10, so check config.gateway_url",
            4013 => "Discord closed the Gateway with 4013 Invalid intent(s); set config.intents to a valid bit set (default 37376)",
            4014 => "Discord closed the Gateway with 4014 Disallowed intent(s): enable the privileged Message Content intent (and any other privileged intent in config.intents) in the developer portal under Bot → Privileged Gateway Intents, then reconnect the channel",
            _ => null,
        };
        if (fatal is not null)
        {
            _fatalError = fatal;
            return Next.Stop;
        }

        if (code is 4007 or 4009)
        {
            var closeText = $"close {code}";
            DiscordLog.GatewayReconnect(_logger, closeText, "identify");
            _sessionId = null;
            _resumeUrl = null;
            Interlocked.Exchange(ref _sequence, NoSequence);
            return Next.ResumeAfterBackoff;
        }

        var reasonText = why ?? $"closed with {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}";
        var nextText = _sessionId is null ? "identify" : "resume";
        DiscordLog.GatewayReconnect(_logger, reasonText, nextText);
        return Next.Resume;
    }

    private async Task StopAsync(string error, CancellationToken cancellationToken)
    {
        DiscordLog.GatewayStopped(_logger, error);
        if (_context.StatusSink is { } status)
            await status.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReportConnectedAsync(CancellationToken cancellationToken)
    {
        if (_context.StatusSink is { } status)
            await status.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task BackoffAsync(int failures, TimeSpan? requested, CancellationToken cancellationToken)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10));
        var delay = requested ?? TimeSpan.FromMilliseconds(Math.Min(exponential, MaxBackoff.TotalMilliseconds) * (0.5 + (_adapter.NextRandom() / 2)));
        DiscordLog.GatewayConnectFailed(_logger, delay.TotalMilliseconds, null);
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private byte[] IdentifyPayload() => Write(w =>
    {
        w.WriteNumber("op", 2);
        w.WriteStartObject("d");
        w.WriteString("token", _token);
        w.WriteNumber("intents", _adapter.Options.Intents);
        w.WriteStartObject("properties");
        w.WriteString("os", Environment.OSVersion.Platform.ToString().ToLowerInvariant());
        w.WriteString("browser", "clawscale");
        w.WriteString("device", "clawscale");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private byte[] ResumePayload() => Write(w =>
    {
        w.WriteNumber("op", 6);
        w.WriteStartObject("d");
        w.WriteString("token", _token);
        w.WriteString("session_id", _sessionId);
        if (Interlocked.Read(ref _sequence) is var seq and not NoSequence)
            w.WriteNumber("seq", seq);
        else
            w.WriteNull("seq");
        w.WriteEndObject();
    });

    private byte[] HeartbeatPayload() => Write(w =>
    {
        w.WriteNumber("op", 1);
        if (Interlocked.Read(ref _sequence) is var seq and not NoSequence)
            w.WriteNumber("d", seq);
        else
            w.WriteNull("d");
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, byte[] payload, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(payload, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task CloseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        // A close code other than 1000/1001 keeps the session resumable ("Initiating a Disconnect").
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)4000, "reconnecting", cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
            }
        }
    }

    private static async Task<GatewayPayload?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var result = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            buffer.Advance(result.Count);
            if (result.EndOfMessage)
                break;
        }

        return JsonSerializer.Deserialize(buffer.WrittenSpan, DiscordJsonContext.Default.GatewayPayload);
    }
}
