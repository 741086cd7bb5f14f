using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Line.Model;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Line;

/// <summary>
/// One LINE Messaging API channel (one LINE Official Account bot): accepts signed webhooks and answers with the reply
/// API while the event's reply token is fresh, otherwise with the push API and an <c>X-Line-Retry-Key</c> (LINE
/// Developers "Messaging API reference", "Receive messages (webhook)", "Send messages", "Retry failed API requests").
/// </summary>
public sealed class LineChannelAdapter : IChannelAdapter
{
    private readonly ChannelContext _context;
    private readonly ILogger _logger;
    private readonly string _channelSecret;
    private string? _botUserId;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="accessToken">The channel access token.</param>
    /// <param name="channelSecret">The channel secret (webhook signatures).</param>
    public LineChannelAdapter(ChannelContext context, LineOptions options, string accessToken, string channelSecret)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(channelSecret);
        _context = context;
        _logger = context.Logger;
        _channelSecret = channelSecret;
        Options = options;
        Api = new LineApiClient(context.HttpClient, options, accessToken, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public LineOptions Options { get; }

    /// <summary>The Messaging API client of this channel.</summary>
    public LineApiClient Api { get; }

    /// <summary>The bot's user id, once <see cref="ConnectAsync"/> has read it; otherwise null.</summary>
    public string? BotUserId => Volatile.Read(ref _botUserId);

    /// <inheritdoc />
    /// <remarks>Always false: LINE delivers by webhook only.</remarks>
    public bool UsesListener => false;

    /// <summary>
    /// Handles a webhook: <c>X-Line-Signature</c> checked first (401, nothing parsed or stored, when missing or wrong);
    /// a body that is not JSON → 400; the empty <c>events</c> of LINE's "Verify" button → 200; otherwise 200 accepting
    /// the messages of <see cref="LineMapper.MapEvents"/>. A redelivered event (<c>deliveryContext.isRedelivery</c>) is
    /// accepted again and deduplicated by the kernel on its <c>webhookEventId</c>. Methods other than POST → 405.
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous.</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            return ValueTask.FromResult(Reject(405, "only POST is accepted"));
        if (!LineSignature.Verify(request.Headers, request.Body.Span, _channelSecret, out var failure))
            return ValueTask.FromResult(Reject(401, failure!));

        LineWebhookBody? body;
        try
        {
            body = JsonSerializer.Deserialize(request.Body.Span, LineJsonContext.Default.LineWebhookBody);
        }
        catch (JsonException ex)
        {
            return ValueTask.FromResult(Reject(400, $"the body is not a LINE webhook in JSON ({ex.Message})"));
        }

        if (body?.Events is not { Count: > 0 } events)
            return ValueTask.FromResult(WebhookResult.Ignore("no events (LINE's webhook URL check)"));

        foreach (var ev in events.Where(e => e.DeliveryContext?.IsRedelivery == true))
            LineLog.Redelivered(_logger, ev.WebhookEventId);
        var receivedAt = request.ReceivedAt == default ? _context.TimeProvider.GetUtcNow() : request.ReceivedAt;
        var ignored = new List<(string? EventId, string Reason)>();
        var messages = LineMapper.MapEvents(body, receivedAt, Options.ReplyTokenWindow, ignored);
        foreach (var (eventId, reason) in ignored)
            LineLog.EventIgnored(_logger, eventId, reason);
        return ValueTask.FromResult(messages.Count > 0 ? WebhookResult.Accept(messages) : WebhookResult.Ignore(string.Join("; ", ignored.Select(i => i.Reason))));
    }

    /// <summary>
    /// Reads the bot's info (<c>GET /v2/bot/info</c>) with the channel access token: success reports the channel
    /// connected; 401 is reported as the channel's error with what to do; both failures throw so that the kernel retries.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">LINE refused the token or could not be reached.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var result = await Api.GetBotInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Ok)
        {
            var error = "reading the bot's info failed: " + LineMapper.ToFailedSendResult(result).Error;
            LineLog.ChannelError(_logger, error);
            if (result.HttpStatus == 401 && _context.StatusSink is { } errorSink)
                await errorSink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"LINE channel {_context.ChannelId}: {error}");
        }

        Volatile.Write(ref _botUserId, result.Response?.UserId);
        LineLog.Connected(_logger, result.Response?.UserId, result.Response?.DisplayName);
        if (_context.StatusSink is { } sink)
            await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Nothing to undo: the webhook URL is a setting in the LINE Developers Console.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Never called (<see cref="UsesListener"/> is false); returns at once.</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends the text in requests of up to five 5,000-character messages (<see cref="LineMapper.PlanSend"/>). The first
    /// request uses the reply API when <see cref="LineMapper.TryGetReplyToken"/> allows it (free of the monthly quota);
    /// if LINE refuses the token (400 <c>Invalid reply token</c>) that request is pushed instead at once. Every other
    /// request is a push to the route's user, group or room with <c>X-Line-Retry-Key</c> =
    /// <see cref="LineMapper.RetryKey"/>; a 409 answer (LINE already accepted that key) counts as delivered. Failures map
    /// as in <see cref="LineMapper.ToFailedSendResult"/>; a 401 is also reported as the channel's error.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome; delivered with the last sent message's id (or LINE's accepted request id after a 409).</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var batches = LineMapper.PlanSend(message);
        if (batches.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachments"));

        string? lastId = null;
        for (var i = 0; i < batches.Count; i++)
        {
            LineApiResult result;
            var pushed = true;
            if (i == 0 && LineMapper.TryGetReplyToken(message, _context.TimeProvider.GetUtcNow(), out var replyToken))
            {
                pushed = false;
                result = await Api.ReplyAsync(new LineReplyRequest { ReplyToken = replyToken, Messages = batches[i] }, cancellationToken).ConfigureAwait(false);
                if (LineMapper.IsInvalidReplyToken(result))
                {
                    LineLog.ReplyTokenRefused(_logger, message.DeliveryId, result.Response?.Message);
                    pushed = true;
                    result = await PushAsync(message, i, batches[i], cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                result = await PushAsync(message, i, batches[i], cancellationToken).ConfigureAwait(false);
            }

            if (pushed && result.HttpStatus == 409)
            {
                lastId = result.AcceptedRequestId ?? lastId;
                continue;
            }

            if (!result.Ok)
            {
                var failed = LineMapper.ToFailedSendResult(result);
                if (result.HttpStatus == 401 && _context.StatusSink is { } sink)
                    await sink.ReportErrorAsync(failed.Error!, cancellationToken).ConfigureAwait(false);
                return Failed(message, failed);
            }

            if (result.Response?.SentMessages is { Count: > 0 } sent)
                lastId = sent[^1].Id ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<LineApiResult> PushAsync(OutboundMessage message, int index, IReadOnlyList<LineTextMessage> batch, CancellationToken cancellationToken) =>
        Api.PushAsync(new LinePushRequest { To = message.ExternalChatId, Messages = batch }, LineMapper.RetryKey(_context.ChannelId, message.IdempotencyKey, index), cancellationToken);

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        LineLog.SendFailed(_logger, message.DeliveryId, result.Outcome, result.Error);
        return result;
    }

    private WebhookResult Reject(int status, string reason)
    {
        LineLog.WebhookRejected(_logger, status, reason);
        return WebhookResult.Reject(status, reason);
    }
}
