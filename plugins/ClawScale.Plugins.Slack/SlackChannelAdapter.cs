using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Slack.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Slack;

/// <summary>
/// One Slack channel: receives events by the Events API (signature checked first) or by Socket Mode, and sends
/// messages with chat.postMessage (Slack docs: "The Events API", "Using Socket Mode", "chat.postMessage").
/// </summary>
public sealed class SlackChannelAdapter : IChannelAdapter
{
    /// <summary>The header Slack sets on a retried Events API delivery (1, 2, 3).</summary>
    public const string RetryNumHeader = "X-Slack-Retry-Num";

    /// <summary>The header saying why Slack retried (<c>http_timeout</c>, <c>http_error</c>, …).</summary>
    public const string RetryReasonHeader = "X-Slack-Retry-Reason";

    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private static readonly HashSet<string> FatalAuthErrors = new(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "not_allowed_token_type", "missing_scope",
    };

    private readonly ChannelContext _context;
    private readonly ILogger _logger;
    private readonly string? _signingSecret;
    private string? _botUserId;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="botToken">The bot token, <c>xoxb-…</c>.</param>
    /// <param name="signingSecret">The app's signing secret (events mode), or null.</param>
    /// <param name="appToken">The app-level token, <c>xapp-…</c> (socket mode), or null.</param>
    public SlackChannelAdapter(ChannelContext context, SlackOptions options, string botToken, string? signingSecret, string? appToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);
        _context = context;
        Options = options;
        _logger = context.Logger;
        _signingSecret = signingSecret;
        _botUserId = options.BotUserId;
        Api = new SlackApiClient(context.HttpClient, options.ApiBaseUrl, botToken, appToken, options.RequestTimeout, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public SlackOptions Options { get; }

    /// <summary>The Web API client of this channel.</summary>
    public SlackApiClient Api { get; }

    /// <summary>The bot's user id: from config, then from auth.test (<see cref="ConnectAsync"/>); null until known.</summary>
    public string? BotUserId => Volatile.Read(ref _botUserId);

    /// <inheritdoc />
    public bool UsesListener => Options.Mode == SlackMode.Socket;

    /// <summary>
    /// Handles one Events API call. First verifies <c>X-Slack-Signature</c> (HMAC-SHA256 of
    /// <c>v0:{timestamp}:{body}</c> with the signing secret, constant-time) and that <c>X-Slack-Request-Timestamp</c> is
    /// within 5 minutes of <see cref="WebhookRequest.ReceivedAt"/>: otherwise 401 and nothing parsed or stored. Then:
    /// a form-encoded body (<c>application/x-www-form-urlencoded</c>: a slash command, Slack docs "Enabling interactivity
    /// with Slash commands") → 200 with an empty body accepting one message mapped by
    /// <see cref="SlackMapper.TryMapSlashCommand"/> (a form without <c>command</c> → 200 ignored); malformed JSON → 400;
    /// <c>url_verification</c> → 200 <c>text/plain</c> with the challenge; an event_callback with a
    /// usable <c>message</c>/<c>app_mention</c> → 200 accepting one message (also when <c>X-Slack-Retry-Num</c> is set:
    /// the kernel deduplicates on <see cref="SlackMapper.DedupKey"/>); anything else → 200 ignored.
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous and quick (Slack waits 3 s).</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = request.ReceivedAt == default ? _context.TimeProvider.GetUtcNow() : request.ReceivedAt;
        if (!SlackSignature.Verify(request.Headers, request.Body.Span, _signingSecret ?? string.Empty, now, SlackOptions.SignatureTolerance, out var failure))
        {
            SlackLog.WebhookRejected(_logger, failure!);
            return ValueTask.FromResult(WebhookResult.Reject(401, failure!));
        }

        if (IsForm(request.Headers))
        {
            // A slash command (Slack POSTs it form-encoded to the command's Request URL, signed like events). Slack wants
            // a 200 within 3 s: the empty 200 shows nothing to the user; the agent's reply follows by chat.postMessage.
            var command = SlackMapper.TryMapSlashCommand(SlackMapper.ParseForm(request.Body.Span), now, out var notCommand);
            if (command is null)
            {
                SlackLog.EventIgnored(_logger, null, notCommand!);
                return ValueTask.FromResult(WebhookResult.Ignore(notCommand!));
            }

            return ValueTask.FromResult(WebhookResult.Accept(command));
        }

        SlackEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(request.Body.Span, SlackJsonContext.Default.SlackEnvelope);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        if (envelope?.Type is null)
        {
            const string reason = "body is not a JSON Events API envelope with a type";
            SlackLog.WebhookRejected(_logger, reason);
            return ValueTask.FromResult(WebhookResult.Reject(400, reason));
        }

        if (envelope.Type == "url_verification")
        {
            if (string.IsNullOrEmpty(envelope.Challenge))
                return ValueTask.FromResult(WebhookResult.Reject(400, "url_verification without a challenge"));
            return ValueTask.FromResult(new WebhookResult
            {
                ContentType = "text/plain; charset=utf-8",
                ResponseBody = Encoding.UTF8.GetBytes(envelope.Challenge),
                Reason = "url_verification answered",
            });
        }

        if (request.Headers.TryGetValue(RetryNumHeader, out var retryNum))
        {
            request.Headers.TryGetValue(RetryReasonHeader, out var retryReason);
            SlackLog.EventRetried(_logger, envelope.EventId, retryNum, retryReason);
        }

        var message = Map(envelope, out var ignoredReason);
        return ValueTask.FromResult(message is not null ? WebhookResult.Accept(message) : WebhookResult.Ignore(ignoredReason!));
    }

    /// <summary>
    /// Calls auth.test with the bot token to learn the bot's user id (for mentions and to ignore its own messages).
    /// In events mode it then reports the channel connected; in socket mode the listener reports it on Slack's hello.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">Slack rejected the token or could not be reached; the message says what to do.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var auth = await Api.AuthTestAsync(cancellationToken).ConfigureAwait(false);
        if (!auth.Ok)
        {
            var error = auth.Error is { } code && FatalAuthErrors.Contains(code)
                ? $"Slack rejected credentials.bot_token ({code}); set it to the app's current Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page"
                : $"auth.test failed ({auth.Error}); check config.api_base_url and network access to Slack";
            SlackLog.ConnectFailed(_logger, error);
            await ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"Slack channel {_context.ChannelId}: {error}");
        }

        if (auth.Response!.UserId is { Length: > 0 } userId)
            Volatile.Write(ref _botUserId, userId);
        SlackLog.Connected(_logger, BotUserId, auth.Response.TeamId, Options.Mode);
        if (Options.Mode == SlackMode.Events && _context.StatusSink is { } sink)
            await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Nothing to undo: Slack's Request URL and Socket Mode switch are app settings, not API calls.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Socket Mode: opens a URL with apps.connections.open (app-level token), connects a WebSocket and handles frames
    /// until cancelled. <c>events_api</c> and <c>slash_commands</c> envelopes are mapped (slash commands by
    /// <see cref="SlackMapper.TryMapSlashCommand"/>, as over HTTP) and handed to <paramref name="sink"/>; the
    /// <c>{"envelope_id"}</c> acknowledgement is sent only after the sink returns (a sink failure leaves it
    /// unacknowledged, so Slack delivers it again). <c>disconnect</c> → a fresh apps.connections.open at once. No
    /// <c>hello</c> within <see cref="SlackOptions.SocketSilenceWindow"/> (channel clock), or the WebSocket keep-alive
    /// failing after it, → reconnect. Failures back off exponentially with jitter (1 s → 60 s; 429 waits Retry-After).
    /// A rejected app token (<c>invalid_auth</c>, …) is reported through the status sink and ends the listener.
    /// </summary>
    /// <param name="sink">The kernel's ACCEPT stage.</param>
    /// <param name="cancellationToken">Stops the listener.</param>
    /// <returns>A task that ends when cancelled or when the token is rejected.</returns>
    public async Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var open = await Api.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                if (!open.Ok || string.IsNullOrEmpty(open.Response?.Url) || !Uri.TryCreate(open.Response.Url, UriKind.Absolute, out var url))
                {
                    if (open.Error is { } code && FatalAuthErrors.Contains(code))
                    {
                        var error = $"Slack rejected credentials.app_token ({code}): Socket Mode stopped; create an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and set credentials.app_token to it (xapp-…), and make sure Socket Mode is enabled for the app";
                        SlackLog.SocketStopped(_logger, error);
                        await ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    failures++;
                    var delay = open.HttpStatus == 429 || open.Error == "ratelimited" ? open.RetryAfter ?? Backoff(failures) : Backoff(failures);
                    SlackLog.SocketRetry(_logger, "apps.connections.open: " + (open.Error ?? "no url"), delay.TotalMilliseconds);
                    await Task.Delay(delay, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var end = await RunConnectionAsync(url, sink, cancellationToken).ConfigureAwait(false);
                if (end.HelloSeen)
                    failures = 0;
                if (end.Kind == ConnectionEndKind.DisconnectRequested)
                    continue;

                failures++;
                var backoff = Backoff(failures);
                SlackLog.SocketRetry(_logger, end.Error, backoff.TotalMilliseconds);
                await Task.Delay(backoff, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends a message with chat.postMessage (see <see cref="SlackMapper.PlanSend"/>): text chunks of at most 40,000
    /// characters, file links in the text, image blocks, all in the route's thread. Stops at the first failure;
    /// failures map as in <see cref="SlackMapper.ToFailedSendResult"/>. Delivered reports the last message's ts. A
    /// failure after some chunks were sent makes the kernel's retry send them again (Slack has no idempotency key).
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        IReadOnlyList<PostMessageRequest> calls;
        try
        {
            calls = SlackMapper.PlanSend(message, Options);
        }
        catch (ArgumentException ex)
        {
            return Failed(message, SendResult.Permanent(ex.Message));
        }

        if (calls.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachments"));

        string? lastTs = null;
        foreach (var call in calls)
        {
            var result = await Api.PostMessageAsync(call, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                var failed = SlackMapper.ToFailedSendResult(result);
                if (result.Error is { } code && FatalAuthErrors.Contains(code))
                    await ReportErrorAsync(failed.Error!, cancellationToken).ConfigureAwait(false);
                return Failed(message, failed);
            }

            lastTs = result.Response!.Ts;
        }

        return SendResult.Delivered(lastTs);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private InboundMessage? Map(SlackEnvelope envelope, out string? reason)
    {
        var message = SlackMapper.TryMapEvent(envelope, BotUserId, Options.ReplyInThread, out reason);
        if (message is null)
            SlackLog.EventIgnored(_logger, envelope.EventId, reason!);
        return message;
    }

    private async Task<ConnectionEnd> RunConnectionAsync(Uri url, IInboundSink sink, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = Options.SocketSilenceWindow / 3;
        socket.Options.KeepAliveTimeout = Options.SocketSilenceWindow;
        try
        {
            using (var connectTimeout = new CancellationTokenSource(Options.RequestTimeout, _context.TimeProvider))
            using (var linkedConnect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token))
                // Through the kernel's HttpClient: its network guard applies to the WebSocket URL Slack handed out.
                await socket.ConnectAsync(url, _context.HttpClient, linkedConnect.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ConnectionEnd(ConnectionEndKind.Failed, false, "WebSocket connect failed: " + Describe(ex));
        }

        // The silence timer runs on the channel's clock until Slack's hello; afterwards the WebSocket keep-alive
        // (ping frames, which ClientWebSocket answers and checks without surfacing them) detects a dead connection.
        using var silence = new CancellationTokenSource(Options.SocketSilenceWindow, _context.TimeProvider);
        using var receiveCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        var helloSeen = false;
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                buffer.Clear();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.GetMemory(4096), receiveCts.Token).ConfigureAwait(false);
                    buffer.Advance(received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                    return new ConnectionEnd(ConnectionEndKind.Failed, helloSeen, $"Slack closed the WebSocket ({socket.CloseStatus} {socket.CloseStatusDescription})");
                if (received.MessageType != WebSocketMessageType.Text)
                    continue;

                SocketModeEnvelope? frame;
                try
                {
                    frame = JsonSerializer.Deserialize(buffer.WrittenSpan, SlackJsonContext.Default.SocketModeEnvelope);
                }
                catch (JsonException)
                {
                    continue;
                }

                switch (frame?.Type)
                {
                    case "hello":
                        if (!helloSeen)
                        {
                            helloSeen = true;
                            silence.CancelAfter(Timeout.InfiniteTimeSpan);
                            SlackLog.SocketHello(_logger);
                            if (_context.StatusSink is { } status)
                                await status.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case "disconnect":
                        SlackLog.SocketDisconnectRequested(_logger, frame.Reason);
                        await CloseQuietlyAsync(socket, cancellationToken).ConfigureAwait(false);
                        return new ConnectionEnd(ConnectionEndKind.DisconnectRequested, helloSeen, null);
                    case "events_api":
                        await HandleEventsApiAsync(socket, frame, sink, cancellationToken).ConfigureAwait(false);
                        break;
                    case "slash_commands":
                        await HandleSlashCommandAsync(socket, frame, sink, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        if (frame?.EnvelopeId is { Length: > 0 } id)
                        {
                            SlackLog.EnvelopeSkipped(_logger, id, frame.Type);
                            await AckAsync(socket, id, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && silence.IsCancellationRequested)
        {
            SlackLog.SocketSilent(_logger, Options.SocketSilenceWindow.TotalSeconds);
            return new ConnectionEnd(ConnectionEndKind.Failed, helloSeen, $"no hello from Slack within {Options.SocketSilenceWindow.TotalSeconds:0} s");
        }
        catch (WebSocketException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new ConnectionEnd(ConnectionEndKind.Failed, helloSeen, "WebSocket failed: " + ex.Message);
        }
    }

    private async Task HandleEventsApiAsync(ClientWebSocket socket, SocketModeEnvelope frame, IInboundSink sink, CancellationToken cancellationToken)
    {
        SlackEnvelope? envelope = null;
        if (frame.Payload is { ValueKind: JsonValueKind.Object } payload)
        {
            try
            {
                envelope = payload.Deserialize(SlackJsonContext.Default.SlackEnvelope);
            }
            catch (JsonException)
            {
            }
        }

        var message = envelope is null ? null : Map(envelope, out _);
        await AcceptAndAckAsync(socket, frame, message, sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A Socket Mode <c>slash_commands</c> envelope: its payload holds the fields of the HTTP form, as JSON.</summary>
    private async Task HandleSlashCommandAsync(ClientWebSocket socket, SocketModeEnvelope frame, IInboundSink sink, CancellationToken cancellationToken)
    {
        InboundMessage? message = null;
        if (frame.Payload is { ValueKind: JsonValueKind.Object } payload)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in payload.EnumerateObject())
                fields.TryAdd(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
            message = SlackMapper.TryMapSlashCommand(fields, _context.TimeProvider.GetUtcNow(), out var reason);
            if (message is null)
                SlackLog.EventIgnored(_logger, frame.EnvelopeId, reason!);
        }

        await AcceptAndAckAsync(socket, frame, message, sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands a mapped message (if any) to the sink, then acknowledges the envelope (not when the sink failed).</summary>
    private async Task AcceptAndAckAsync(ClientWebSocket socket, SocketModeEnvelope frame, InboundMessage? message, IInboundSink sink, CancellationToken cancellationToken)
    {
        if (message is not null)
        {
            try
            {
                await sink.AcceptAsync([message], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                SlackLog.SinkFailed(_logger, frame.EnvelopeId, ex);
                return;
            }
        }

        if (frame.EnvelopeId is { Length: > 0 } id)
            await AckAsync(socket, id, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsForm(IReadOnlyDictionary<string, string> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                return value.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }

    private static async Task AckAsync(ClientWebSocket socket, string envelopeId, CancellationToken cancellationToken)
    {
        var ack = JsonSerializer.SerializeToUtf8Bytes(new SocketModeAck { EnvelopeId = envelopeId }, SlackJsonContext.Default.SocketModeAck);
        await socket.SendAsync(ack, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
    }

    private async Task CloseQuietlyAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _context.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// An exception's message followed by its inner HTTP failure's: a <see cref="WebSocketException"/> says only "Unable
    /// to connect to the remote server", the inner exception says why (refused, DNS, the kernel's network guard).
    /// </summary>
    private static string Describe(Exception ex) =>
        ex is WebSocketException { InnerException: HttpRequestException inner } ? $"{ex.Message}: {inner.Message}" : ex.Message;

    private static TimeSpan Backoff(int failures)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private async ValueTask ReportErrorAsync(string error, CancellationToken cancellationToken)
    {
        if (_context.StatusSink is { } sink)
            await sink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        SlackLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private enum ConnectionEndKind
    {
        DisconnectRequested,
        Failed,
    }

    private readonly record struct ConnectionEnd(ConnectionEndKind Kind, bool HelloSeen, string? Error);
}
