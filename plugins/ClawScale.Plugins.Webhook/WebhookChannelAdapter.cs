using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Webhook;

/// <summary>
/// One generic webhook channel: accepts signed JSON messages on <c>POST /webhooks/{channelId}</c> (signature checked
/// before the body is parsed) and POSTs replies, signed the same way, to <c>callback_url</c>. No listener and nothing
/// to set up on the other side: the integrated system is configured by its owner (see the README).
/// </summary>
public sealed class WebhookChannelAdapter : IChannelAdapter
{
    /// <summary>The body of a 202 answer to an accepted call.</summary>
    public static readonly ReadOnlyMemory<byte> AcceptedBody = "{\"accepted\":true}"u8.ToArray();

    private readonly ChannelContext _context;
    private readonly WebhookApiClient _api;
    private readonly ILogger _logger;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="callbackSecret">The secret callbacks are signed with: <c>credentials.callback_secret</c>, or null to use the channel's webhook secret.</param>
    public WebhookChannelAdapter(ChannelContext context, WebhookOptions options, string? callbackSecret)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        Options = options;
        _logger = context.Logger;
        var secret = string.IsNullOrEmpty(callbackSecret) ? context.WebhookSecret : callbackSecret;
        _api = new WebhookApiClient(context.HttpClient, options.CallbackUrl, secret, options.Timeout, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public WebhookOptions Options { get; }

    /// <inheritdoc />
    /// <remarks>Always false: messages arrive by webhook only.</remarks>
    public bool UsesListener => false;

    /// <summary>
    /// Handles <c>POST /webhooks/{channelId}</c>: 405 for other methods; 401 when the signature headers are missing,
    /// stale (more than 5 minutes from <see cref="WebhookRequest.ReceivedAt"/>) or wrong (checked before parsing);
    /// 400 naming the field when the body is not a valid message; otherwise 202 with <c>{"accepted":true}</c>, written
    /// by the kernel only after the message is stored. A repeated <c>id</c> is accepted again and deduplicated. The
    /// result sets <see cref="WebhookResult.RefuseWhenSenderLimited"/>: a sender over the kernel's per-sender inbound
    /// limit is answered 429 with Retry-After (the message is not stored; the caller sends it again later).
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous.</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            return ValueTask.FromResult(Reject(405, "only POST is accepted"));

        var receivedAt = request.ReceivedAt == default ? _context.TimeProvider.GetUtcNow() : request.ReceivedAt;
        if (!WebhookSignature.Verify(request.Headers, request.Body.Span, _context.WebhookSecret, receivedAt, WebhookOptions.SignatureTolerance, out var reason))
            return ValueTask.FromResult(Reject(401, reason!));

        var message = WebhookMapper.ParseInbound(request.Body.Span, Options.Provider, receivedAt, out var error);
        if (message is null)
            return ValueTask.FromResult(Reject(400, error!));

        WebhookLog.WebhookAccepted(_logger, message.ProviderMessageId, message.ExternalChatId);
        return ValueTask.FromResult(new WebhookResult
        {
            StatusCode = 202,
            ContentType = "application/json",
            ResponseBody = AcceptedBody,
            Messages = [message],
            // Our own protocol: callers retry a refused call, so a sender over the kernel's limit gets 429 + Retry-After.
            RefuseWhenSenderLimited = true,
        });
    }

    /// <summary>Nothing to prepare on the other side; reports the channel connected.</summary>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>A task that ends when reported.</returns>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        if (_context.StatusSink is { } sink)
            await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Nothing to undo.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Never called (<see cref="UsesListener"/> is false); returns at once.</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// POSTs the message to <c>callback_url</c> (see <see cref="WebhookApiClient"/>) and maps the answer with
    /// <see cref="WebhookMapper.ToSendResult"/>: 2xx delivered, 429/503 retry after Retry-After, other 5xx, 408,
    /// network failures and timeouts retry, other statuses permanent. A message with neither text nor attachments
    /// fails permanently without a call.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.Text) && message.Attachments.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachments"));

        var response = await _api.PostAsync(WebhookMapper.ToCallbackPayload(message), cancellationToken).ConfigureAwait(false);
        var result = WebhookMapper.ToSendResult(response, _context.TimeProvider.GetUtcNow());
        return result.Outcome == SendOutcome.Delivered ? result : Failed(message, result);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        WebhookLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private WebhookResult Reject(int statusCode, string reason)
    {
        WebhookLog.WebhookRejected(_logger, statusCode, reason);
        return WebhookResult.Reject(statusCode, reason);
    }
}
