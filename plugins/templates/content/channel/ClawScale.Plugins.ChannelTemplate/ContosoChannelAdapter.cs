using System.Text.Json;
using ClawScale.Plugins.ChannelTemplate.Model;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>
/// One configured <c>contoso</c> channel: receives the platform's webhooks on <c>POST /webhooks/{channelId}</c>
/// (signature verified before anything is parsed) and sends replies through <see cref="ContosoApiClient"/>.
/// </summary>
public sealed class ContosoChannelAdapter : IChannelAdapter
{
    private readonly ChannelContext _context;
    private readonly ContosoApiClient _api;

    /// <summary>Creates the adapter (the factory validated the settings).</summary>
    /// <param name="context">The channel and the kernel's services.</param>
    /// <param name="options">The parsed settings.</param>
    /// <param name="api">The platform API seam.</param>
    public ContosoChannelAdapter(ChannelContext context, ContosoOptions options, ContosoApiClient api)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        _context = context;
        _api = api;
        Options = options;
    }

    /// <summary>The channel's settings.</summary>
    public ContosoOptions Options { get; }

    /// <summary>False: this platform calls the kernel's webhook route. A long-polling or WebSocket platform returns true and implements <see cref="RunListenerAsync"/>.</summary>
    public bool UsesListener => false;

    /// <summary>
    /// Handles a webhook call: 405 unless POST; 401 when the signature is missing, stale or wrong (checked on the raw
    /// body, before parsing); 400 naming the field when the body is not a valid event; a <c>ping</c> is answered with
    /// its challenge; a <c>message</c> is accepted (the kernel answers 200 only after storing it); other types are ignored.
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous and quick, as platforms expect.</param>
    /// <returns>The messages to accept and the answer to give.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            return ValueTask.FromResult(Reject(405, "only POST is accepted"));

        var receivedAt = request.ReceivedAt == default ? _context.TimeProvider.GetUtcNow() : request.ReceivedAt;
        if (!ContosoSignature.Verify(request.Headers, request.Body.Span, _context.WebhookSecret, receivedAt, out var reason))
            return ValueTask.FromResult(Reject(401, reason!));

        var ev = ContosoMapper.ParseEvent(request.Body.Span, out var error);
        if (ev is null)
            return ValueTask.FromResult(Reject(400, error!));

        switch (ev.Type)
        {
            case "ping":
                return ValueTask.FromResult(new WebhookResult
                {
                    ContentType = "application/json",
                    ResponseBody = JsonSerializer.SerializeToUtf8Bytes(new ContosoChallenge { Challenge = ev.Challenge }, ContosoJsonContext.Default.ContosoChallenge),
                    Reason = "ping",
                });
            case "message":
                var message = ContosoMapper.ToInbound(ev, receivedAt, out error);
                if (message is null)
                    return ValueTask.FromResult(Reject(400, error!));
                ContosoLog.WebhookAccepted(_context.Logger, message.ProviderMessageId, message.ExternalChatId);
                return ValueTask.FromResult(WebhookResult.Accept(message));
            default:
                return ValueTask.FromResult(WebhookResult.Ignore($"event type \"{ev.Type}\" is not handled"));
        }
    }

    /// <summary>
    /// Prepares the platform side. PLACEHOLDER: register the webhook here if the platform needs it (for example with
    /// <see cref="ChannelContext.PublicWebhookUrl"/>), and report the channel's state; a refusal that an admin must fix
    /// (a revoked token) goes to <see cref="IChannelStatusSink.ReportErrorAsync"/>, a transient one is thrown (the
    /// kernel retries with backoff).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when the platform is prepared.</returns>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        if (_context.StatusSink is { } sink)
            await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Undoes <see cref="ConnectAsync"/> where the platform needs it; nothing here.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Never called, since <see cref="UsesListener"/> is false.</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends one message with <see cref="ContosoApiClient.SendMessageAsync"/> and maps the answer with
    /// <see cref="ContosoMapper.ToSendResult"/>. A message without text (attachments only) fails permanently here:
    /// add the platform's file upload to support attachments.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send (the kernel retries later).</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var result = string.IsNullOrEmpty(message.Text)
            ? SendResult.Permanent("this channel sends text only; the message has none")
            : ContosoMapper.ToSendResult(await _api.SendMessageAsync(ContosoMapper.ToSendRequest(message), cancellationToken).ConfigureAwait(false));
        if (result.Outcome != SendOutcome.Delivered)
            ContosoLog.SendFailed(_context.Logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    /// <summary>Releases nothing: the HttpClient is the kernel's.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private WebhookResult Reject(int statusCode, string reason)
    {
        ContosoLog.WebhookRejected(_context.Logger, statusCode, reason);
        return WebhookResult.Reject(statusCode, reason);
    }
}
