using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.WhatsApp.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>
/// One WhatsApp Business Cloud API channel (one business phone number): answers Meta's webhook verification, accepts
/// signed message notifications and sends text replies through the Graph API (WhatsApp Cloud API docs "Webhooks",
/// "Messages", "Error codes"). WhatsApp is one-to-one in the Cloud API: every chat is a direct chat with one customer.
/// </summary>
public sealed class WhatsAppChannelAdapter : IChannelAdapter
{
    private readonly ChannelContext _context;
    private readonly ILogger _logger;
    private readonly string _appSecret;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services; <see cref="ChannelContext.WebhookSecret"/> is the Verify Token.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="accessToken">The Graph API access token.</param>
    /// <param name="appSecret">The Meta app's App Secret (webhook signatures).</param>
    public WhatsAppChannelAdapter(ChannelContext context, WhatsAppOptions options, string accessToken, string appSecret)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(appSecret);
        _context = context;
        _logger = context.Logger;
        _appSecret = appSecret;
        Options = options;
        Api = new WhatsAppApiClient(context.HttpClient, options, accessToken, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public WhatsAppOptions Options { get; }

    /// <summary>The Graph API client of this channel.</summary>
    public WhatsAppApiClient Api { get; }

    /// <inheritdoc />
    /// <remarks>Always false: Meta delivers by webhook only.</remarks>
    public bool UsesListener => false;

    /// <summary>
    /// Handles a call to the channel's webhook URL:
    /// <list type="bullet">
    /// <item><description><c>GET</c> with <c>hub.mode=subscribe</c>, <c>hub.verify_token</c> and <c>hub.challenge</c>
    /// (Meta's verification request when the callback URL is saved): 200 <c>text/plain</c> with the challenge when the
    /// token equals the channel's webhook secret (constant-time), otherwise 403.</description></item>
    /// <item><description><c>POST</c>: <c>X-Hub-Signature-256</c> checked first (401 and nothing parsed or stored when
    /// missing or wrong); a body that is not JSON → 400; otherwise 200 accepting the messages of
    /// <see cref="WhatsAppMapper.MapNotification"/> (statuses and other numbers' changes ignored). Meta retries a
    /// notification that was not answered 200; the kernel deduplicates on the message id.</description></item>
    /// <item><description>Any other method → 405.</description></item>
    /// </list>
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous.</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
            return ValueTask.FromResult(Verify(request.QueryString));
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            return ValueTask.FromResult(Reject(405, "only GET (verification) and POST (notifications) are accepted"));

        if (!WhatsAppSignature.Verify(request.Headers, request.Body.Span, _appSecret, out var failure))
            return ValueTask.FromResult(Reject(401, failure!));

        WhatsAppNotification? notification;
        try
        {
            notification = JsonSerializer.Deserialize(request.Body.Span, WhatsAppJsonContext.Default.WhatsAppNotification);
        }
        catch (JsonException ex)
        {
            return ValueTask.FromResult(Reject(400, $"the body is not a WhatsApp webhook notification in JSON ({ex.Message})"));
        }

        if (notification is null || notification.Object != "whatsapp_business_account")
        {
            var reason = $"object '{notification?.Object}' is not whatsapp_business_account";
            WhatsAppLog.ChangeIgnored(_logger, reason);
            return ValueTask.FromResult(WebhookResult.Ignore(reason));
        }

        var receivedAt = request.ReceivedAt == default ? _context.TimeProvider.GetUtcNow() : request.ReceivedAt;
        var ignored = new List<string>();
        var messages = WhatsAppMapper.MapNotification(notification, Options.PhoneNumberId, receivedAt, ignored);
        foreach (var reason in ignored)
            WhatsAppLog.ChangeIgnored(_logger, reason);
        return ValueTask.FromResult(messages.Count > 0 ? WebhookResult.Accept(messages) : WebhookResult.Ignore(ignored.Count > 0 ? string.Join("; ", ignored) : "no messages"));
    }

    /// <summary>
    /// Reads the business number with the access token (<c>GET /{version}/{phone_number_id}</c>). Success reports the
    /// channel connected; a token, permission or unknown-id error (<see cref="WhatsAppMapper.IsChannelError"/>) is
    /// reported as the channel's error with what to do; both failures throw so that the kernel retries later.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">The Graph API refused the credentials or could not be reached.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var result = await Api.GetPhoneNumberAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Ok)
        {
            var failed = WhatsAppMapper.ToFailedSendResult(result);
            var error = $"reading business number {Options.PhoneNumberId} failed: {failed.Error}";
            WhatsAppLog.ChannelError(_logger, error);
            if (result.Response?.Error?.Code is { } code && WhatsAppMapper.IsChannelError(code) && _context.StatusSink is { } errorSink)
                await errorSink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"WhatsApp channel {_context.ChannelId}: {error}");
        }

        WhatsAppLog.Connected(_logger, Options.PhoneNumberId, result.Response?.DisplayPhoneNumber);
        if (_context.StatusSink is { } sink)
            await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Nothing to undo: the webhook subscription is an app setting in the Meta App Dashboard.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Never called (<see cref="UsesListener"/> is false); returns at once.</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends the text (see <see cref="WhatsAppMapper.PlanSend"/>) with <c>POST …/messages</c>, stopping at the first
    /// failure, mapped by <see cref="WhatsAppMapper.ToFailedSendResult"/>. Delivered reports the last message's
    /// <c>wamid</c>. The Graph API has no idempotency key: a retry after an unknown outcome may show a part twice.
    /// </summary>
    /// <param name="message">What to send and where (<see cref="OutboundMessage.ExternalChatId"/> is the customer's wa_id).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var calls = WhatsAppMapper.PlanSend(message);
        if (calls.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachments"));

        string? lastId = null;
        foreach (var call in calls)
        {
            var result = await Api.SendAsync(call, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                var failed = WhatsAppMapper.ToFailedSendResult(result);
                if (result.Response?.Error?.Code is { } code && WhatsAppMapper.IsChannelError(code) && _context.StatusSink is { } sink)
                    await sink.ReportErrorAsync(failed.Error!, cancellationToken).ConfigureAwait(false);
                return Failed(message, failed);
            }

            lastId = result.Response!.Messages is { Count: > 0 } sent ? sent[0].Id ?? lastId : lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private WebhookResult Verify(string queryString)
    {
        var query = HttpUtility.ParseQueryString(queryString);
        var mode = query["hub.mode"];
        var token = query["hub.verify_token"];
        var challenge = query["hub.challenge"];
        if (mode != "subscribe" || string.IsNullOrEmpty(challenge) || challenge.Length > 256)
            return Reject(403, "a GET must be Meta's verification request with hub.mode=subscribe, hub.verify_token and hub.challenge");
        if (token is null || string.IsNullOrEmpty(_context.WebhookSecret)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(_context.WebhookSecret)))
            return Reject(403, "hub.verify_token does not match: enter the channel's webhook secret as the Verify Token in the app's WhatsApp → Configuration page");

        WhatsAppLog.VerificationAnswered(_logger);
        return new WebhookResult
        {
            ContentType = "text/plain; charset=utf-8",
            ResponseBody = Encoding.UTF8.GetBytes(challenge),
            Reason = "verification answered",
        };
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        WhatsAppLog.SendFailed(_logger, message.DeliveryId, result.Outcome, result.Error);
        return result;
    }

    private WebhookResult Reject(int status, string reason)
    {
        WhatsAppLog.WebhookRejected(_logger, status, reason);
        return WebhookResult.Reject(status, reason);
    }
}
