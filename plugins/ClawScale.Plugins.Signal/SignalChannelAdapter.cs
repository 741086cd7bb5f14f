using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Signal.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Signal;

/// <summary>
/// One Signal channel on a signal-cli-rest-api server: receives through a listener (polling <c>GET /v1/receive</c> in
/// normal/native mode, or the <c>/v1/receive</c> WebSocket in json-rpc mode) and sends with <c>POST /v2/send</c>.
/// Signal has no webhooks: every webhook call is refused with 404 and nothing is stored.
/// </summary>
public sealed class SignalChannelAdapter : IChannelAdapter
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly ChannelContext _context;
    private readonly ILogger _logger;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="apiToken">The proxy's bearer token, or null.</param>
    public SignalChannelAdapter(ChannelContext context, SignalOptions options, string? apiToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _logger = context.Logger;
        Options = options;
        Api = new SignalApiClient(context.HttpClient, options.ApiBaseUrl, apiToken, options.RequestTimeout, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public SignalOptions Options { get; }

    /// <summary>The REST API client of this channel.</summary>
    public SignalApiClient Api { get; }

    /// <inheritdoc />
    public bool UsesListener => true;

    /// <summary>Refuses every call with 404: signal-cli-rest-api has no webhooks, this channel receives through its listener.</summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A rejection; nothing is stored.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(WebhookResult.Reject(404, "Signal channels receive through the kernel's listener (signal-cli-rest-api /v1/receive), not webhooks"));

    /// <summary>
    /// Asks <c>GET /v1/about</c> and checks that the server's <c>mode</c> offers what <c>config.mode</c> needs (json-rpc
    /// serves the receive WebSocket, normal and native serve polling).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when the server is known to fit.</returns>
    /// <exception cref="InvalidOperationException">The server is unreachable, refuses the token or runs in the other mode; the message says what to do.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var about = await Api.GetAboutAsync(cancellationToken).ConfigureAwait(false);
        if (!about.Ok)
        {
            await FailAsync(about.StatusCode is 401 or 403
                ? $"the REST API's proxy refused the token ({about.StatusCode}: {about.Error}); set credentials.api_token"
                : $"GET /v1/about failed ({about.StatusCode}: {about.Error}); check config.api_base_url and that signal-cli-rest-api runs", cancellationToken).ConfigureAwait(false);
        }

        var serverMode = about.Value?.Mode ?? "unknown";
        var jsonRpc = serverMode.StartsWith("json-rpc", StringComparison.OrdinalIgnoreCase);
        if (jsonRpc && Options.Mode == SignalReceiveMode.Polling)
            await FailAsync($"signal-cli-rest-api runs in {serverMode} mode, where /v1/receive is a WebSocket: set config.mode to websocket (or run the REST API with MODE=normal or native)", cancellationToken).ConfigureAwait(false);
        if (!jsonRpc && serverMode is "normal" or "native" && Options.Mode == SignalReceiveMode.WebSocket)
            await FailAsync($"signal-cli-rest-api runs in {serverMode} mode, which has no receive WebSocket: set config.mode to polling (or run the REST API with MODE=json-rpc)", cancellationToken).ConfigureAwait(false);

        SignalLog.Connected(_logger, about.Value?.Version, serverMode, Options.Mode);
    }

    /// <inheritdoc />
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Receives until cancelled. Each batch is handed to <paramref name="sink"/>; since signal-cli has already taken the
    /// messages off the Signal server, a batch the sink refuses is kept and offered again (with backoff) before anything
    /// else is received. Failures back off 1 s doubling to 60 s with jitter; 401/403 (proxy token) ends the listener
    /// with the channel in error. The channel is reported connected after the first successful receive.
    /// </summary>
    /// <param name="sink">The kernel's ACCEPT stage.</param>
    /// <param name="cancellationToken">Stops the listener.</param>
    /// <returns>A task that ends when cancelled or when the token is refused.</returns>
    public async Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        SignalLog.ListenerStarted(_logger, Options.Mode);
        try
        {
            if (Options.Mode == SignalReceiveMode.Polling)
                await PollAsync(sink, cancellationToken).ConfigureAwait(false);
            else
                await ListenWebSocketAsync(sink, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends the text (see <see cref="SignalMapper.PlanSend"/>) with <c>POST /v2/send</c>, chunk by chunk; the first quotes
    /// the user's message. Failures map as in <see cref="SignalMapper.ToFailedSendResult{T}"/>. The REST API takes no
    /// idempotency key: a retry after an unknown outcome (a timeout) can show a message twice.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>Delivered with the last message's timestamp, or the failure.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var requests = SignalMapper.PlanSend(message, Options);
        if (requests.Count == 0)
            return Failed(message, SendResult.Permanent("the message has no text; this Signal channel sends text only"));
        string? lastId = null;
        foreach (var request in requests)
        {
            var result = await Api.SendMessageAsync(request, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
                return Failed(message, SignalMapper.ToFailedSendResult(result, Options.Number));
            lastId = result.Value?.Timestamp ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task PollAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        var failures = 0;
        var connected = false;
        var errorReported = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await Api.ReceiveAsync(Options.Number, Options.ReceiveTimeout, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                failures++;
                if (result.StatusCode is 401 or 403)
                {
                    var fatal = $"the REST API's proxy refused the token ({result.StatusCode}: {result.Error}); receiving stopped: set credentials.api_token";
                    SignalLog.ListenerStopped(_logger, fatal);
                    await ReportErrorAsync(fatal, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (!errorReported)
                {
                    errorReported = true;
                    connected = false;
                    var hint = result.Error?.Contains("websocket", StringComparison.OrdinalIgnoreCase) == true
                        ? "; the REST API seems to run in json-rpc mode: set config.mode to websocket"
                        : string.Empty;
                    await ReportErrorAsync($"receiving failed ({result.StatusCode}: {result.Error}){hint}; retrying", cancellationToken).ConfigureAwait(false);
                }

                var delay = result.StatusCode == 429 && result.RetryAfter is { } retryAfter ? retryAfter : Backoff(failures);
                SignalLog.ReceiveRetry(_logger, result.StatusCode, result.Error, delay.TotalMilliseconds);
                await Task.Delay(delay, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            failures = 0;
            errorReported = false;
            if (!connected)
            {
                connected = true;
                if (_context.StatusSink is { } status)
                    await status.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
            }

            await AcceptAsync(sink, result.Value ?? [], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ListenWebSocketAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        var failures = 0;
        var builder = new UriBuilder(Api.BaseUrl + "/v1/receive/" + Uri.EscapeDataString(Options.Number));
        builder.Scheme = builder.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var uri = builder.Uri;
        while (!cancellationToken.IsCancellationRequested)
        {
            string? error;
            using (var socket = new ClientWebSocket())
            {
                if (Api.Token is { } token)
                    socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
                try
                {
                    await socket.ConnectAsync(uri, _context.HttpClient, cancellationToken).ConfigureAwait(false);
                    failures = 0;
                    if (_context.StatusSink is { } status)
                        await status.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
                    error = await ReadFramesAsync(socket, sink, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
                {
                    error = ex.Message;
                }
            }

            failures++;
            var delay = Backoff(failures);
            SignalLog.ReceiveRetry(_logger, 0, error, delay.TotalMilliseconds);
            if (failures == 2)
                await ReportErrorAsync($"the receive WebSocket failed ({error}); reconnecting with backoff. Check that signal-cli-rest-api runs with MODE=json-rpc", cancellationToken).ConfigureAwait(false);
            await Task.Delay(delay, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads text frames (one signal-cli JSON object each) until the socket closes; returns why it ended.</summary>
    private async Task<string> ReadFramesAsync(ClientWebSocket socket, IInboundSink sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var frame = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
                return $"closed by the server ({received.CloseStatus} {received.CloseStatusDescription})";
            frame.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
                continue;
            var bytes = frame.ToArray();
            frame.SetLength(0);
            SignalReceived? item;
            try
            {
                item = JsonSerializer.Deserialize(bytes, SignalJsonContext.Default.SignalReceived);
            }
            catch (JsonException ex)
            {
                SignalLog.MalformedItem(_logger, ex.Message);
                continue;
            }

            if (item is null)
                continue;
            if (item.Envelope is null && item.Error is { } error)
            {
                SignalLog.ReceiveRetry(_logger, 0, error, 0);
                continue;
            }

            await AcceptAsync(sink, [item], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Maps a batch and hands it to the sink, retrying with backoff until it is accepted (or cancelled).</summary>
    private async Task AcceptAsync(IInboundSink sink, IReadOnlyList<SignalReceived> items, CancellationToken cancellationToken)
    {
        var messages = new List<InboundMessage>(items.Count);
        foreach (var item in items)
        {
            var message = SignalMapper.TryMap(item, Options, out var reason);
            if (message is null)
                SignalLog.EnvelopeIgnored(_logger, item.Envelope?.Timestamp ?? 0, reason!);
            else
                messages.Add(message);
        }

        if (messages.Count == 0)
            return;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sink.AcceptAsync(messages, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff(attempt);
                SignalLog.SinkFailed(_logger, messages.Count, delay.TotalMilliseconds, ex);
                await Task.Delay(delay, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        SignalLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

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

    private async ValueTask FailAsync(string error, CancellationToken cancellationToken)
    {
        SignalLog.ConnectFailed(_logger, error);
        await ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"Signal channel {_context.ChannelId}: {error}");
    }
}
