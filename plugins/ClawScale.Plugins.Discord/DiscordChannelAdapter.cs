using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Discord.Model;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// One Discord channel: receives messages over the Gateway (v10, JSON) as a listener and slash commands on the
/// Interactions Endpoint URL (the channel's webhook route, Ed25519-verified), and sends with "Create Message" or, for
/// interactions, by editing the deferred response and posting follow-ups.
/// </summary>
public sealed class DiscordChannelAdapter : IChannelAdapter
{
    private static readonly TimeSpan InteractionLifetime = TimeSpan.FromMinutes(15);
    private static readonly byte[] PongBody = """{"type":1}"""u8.ToArray();
    private static readonly byte[] DeferredBody = """{"type":5}"""u8.ToArray();
    private static readonly byte[] DeferredUpdateBody = """{"type":6}"""u8.ToArray();
    private static readonly byte[] NoChoicesBody = """{"type":8,"data":{"choices":[]}}"""u8.ToArray();

    private readonly ChannelContext _context;
    private readonly ILogger _logger;
    private readonly DiscordGatewayListener _gateway;
    private readonly DiscordRateLimiter _limits = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _answeredInteractions = new(StringComparer.Ordinal);
    private string? _botUserId;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="botToken">The bot token (without the <c>Bot </c> prefix); never logged.</param>
    public DiscordChannelAdapter(ChannelContext context, DiscordOptions options, string botToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);
        _context = context;
        _logger = context.Logger;
        Options = options;
        Api = new DiscordApiClient(context.HttpClient, options.ApiBaseUrl, botToken, options.RequestTimeout, context.TimeProvider, context.Logger);
        _botUserId = DiscordMapper.BotUserIdFromToken(botToken);
        _gateway = new DiscordGatewayListener(this, context, botToken);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public DiscordOptions Options { get; }

    /// <summary>The REST client of this channel.</summary>
    public DiscordApiClient Api { get; }

    /// <summary>The bot's user id: from the token, then from <c>GET /users/@me</c> and READY; null when unknown.</summary>
    public string? BotUserId
    {
        get => Volatile.Read(ref _botUserId);
        internal set => Volatile.Write(ref _botUserId, value);
    }

    /// <summary>Always true: messages arrive over the Gateway; interactions use the webhook route besides.</summary>
    public bool UsesListener => true;

    /// <summary>The random source in [0, 1) for heartbeat jitter and reconnect delays (tests replace it).</summary>
    internal Func<double> NextRandom { get; set; } = Random.Shared.NextDouble;

    /// <summary>
    /// Handles a call to the Interactions Endpoint URL ("Receiving and Responding"). First verifies
    /// <c>X-Signature-Ed25519</c> over <c>X-Signature-Timestamp</c> + body with <c>config.public_key</c>: missing key,
    /// header or bad signature → 401 and nothing parsed or stored; so is a timestamp (Unix seconds) more than 5 minutes
    /// from the adapter's <see cref="TimeProvider"/> (replay protection). Then: malformed JSON → 400; PING (1) →
    /// <c>{"type":1}</c>; APPLICATION_COMMAND (2) → <c>{"type":5}</c> (deferred; the reply edits it) accepting the
    /// command as a message; autocomplete (4) → no choices; components and modals (3, 5) → <c>{"type":6}</c> and ignored.
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous.</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Options.PublicKey is null)
            return ValueTask.FromResult(Rejected(401, "config.public_key is not set, so interactions cannot be verified; set it to the application's public key from the developer portal"));
        request.Headers.TryGetValue(DiscordSignature.SignatureHeader, out var signature);
        request.Headers.TryGetValue(DiscordSignature.TimestampHeader, out var timestamp);
        if (signature is null || timestamp is null)
            return ValueTask.FromResult(Rejected(401, "missing X-Signature-Ed25519 or X-Signature-Timestamp"));
        if (!DiscordSignature.Verify(Options.PublicKey, timestamp, request.Body.Span, signature))
            return ValueTask.FromResult(Rejected(401, "invalid request signature"));
        if (!DiscordSignature.IsFresh(timestamp, _context.TimeProvider.GetUtcNow()))
            return ValueTask.FromResult(Rejected(401, $"X-Signature-Timestamp is not within {DiscordSignature.MaxClockSkew.TotalMinutes:0} minutes of now (a replayed or delayed request)"));

        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(request.Body.Span, DiscordJsonContext.Default.Interaction);
        }
        catch (JsonException)
        {
            interaction = null;
        }

        if (interaction is null)
            return ValueTask.FromResult(Rejected(400, "body is not a JSON Discord interaction"));

        switch (interaction.Type)
        {
            case 1:
                return ValueTask.FromResult(Json(PongBody, []));
            case 2:
                var message = DiscordMapper.TryMapCommand(interaction, out var reason);
                if (message is null)
                    return ValueTask.FromResult(Rejected(400, reason!));
                return ValueTask.FromResult(Json(DeferredBody, [message]));
            case 4:
                DiscordLog.InteractionIgnored(_logger, interaction.Id, interaction.Type, "autocomplete is not supported");
                return ValueTask.FromResult(Json(NoChoicesBody, []));
            case 3 or 5:
                DiscordLog.InteractionIgnored(_logger, interaction.Id, interaction.Type, "components and modals are not supported");
                return ValueTask.FromResult(Json(DeferredUpdateBody, []));
            default:
                return ValueTask.FromResult(Rejected(400, $"unsupported interaction type {interaction.Type}"));
        }
    }

    /// <summary>
    /// Checks the token with "Get Current User" (<c>GET /users/@me</c>) and learns the bot's user id. The Gateway
    /// connection itself is made by <see cref="RunListenerAsync"/>, which reports the channel connected on READY.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when the token is known good.</returns>
    /// <exception cref="InvalidOperationException">The token was rejected or Discord could not be reached; the message says what to do.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var me = await Api.GetCurrentUserAsync(cancellationToken).ConfigureAwait(false);
        if (me.StatusCode == 401)
            await FailAsync("Discord rejected the bot token (401 Unauthorized): set credentials.bot_token to the current token from the developer portal's Bot page", cancellationToken).ConfigureAwait(false);
        if (!me.Ok || me.Value is null)
            await FailAsync($"GET /users/@me failed ({me.StatusCode}: {me.Description}); check config.api_base_url and network access to Discord", cancellationToken).ConfigureAwait(false);
        BotUserId = me.Value!.Id;
    }

    /// <summary>Nothing to undo: the Gateway connection ends with the listener, the interactions URL stays set in the portal.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs the Gateway connection until cancelled or until Discord closes it with a code that must not be retried
    /// (4004, 4010–4014), which is reported through the status sink with what to do. See <see cref="DiscordGatewayListener"/>.
    /// </summary>
    /// <param name="sink">The kernel's ACCEPT stage.</param>
    /// <param name="cancellationToken">Stops the listener.</param>
    /// <returns>A task that ends when the listener stops.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return _gateway.RunAsync(sink, cancellationToken);
    }

    /// <summary>
    /// Sends a message. Text is split into contents of at most 2000 characters; attachments with a URL are sent as links
    /// (Discord unfurls them). A reply to an interaction (its token in <see cref="OutboundMessage.Properties"/>) edits the
    /// deferred response first (<c>PATCH …/messages/@original</c>) and posts follow-ups after that; once the token has
    /// expired (15 minutes; 401/404) it falls back to the channel. Other messages use
    /// <c>POST /channels/{id}/messages</c> (the thread id when <see cref="OutboundMessage.ExternalThreadId"/> is set),
    /// the first chunk replying to <see cref="OutboundMessage.ReplyToPlatformMessageId"/>, each with a nonce derived
    /// from the idempotency key and <c>enforce_nonce</c>, so that a retry within Discord's window is not shown twice.
    /// Rate limits: when the route's bucket is known to be exhausted (<c>X-RateLimit-Remaining: 0</c> seen earlier),
    /// the first chunk is not sent and Retry is returned with the time left; later chunks wait on the channel's clock
    /// (so a retry never repeats chunks already sent). Failures map as in <see cref="DiscordMapper.ToFailedSendResult{T}"/>.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome; Delivered carries the last message id.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder(message.Text ?? string.Empty);
        foreach (var attachment in message.Attachments)
        {
            if (attachment.Url is null)
                return Failed(message, SendResult.Permanent("Discord sends attachments by URL only in this plugin; an inline attachment without a URL cannot be sent"));
            text.Append(text.Length > 0 ? "\n" : string.Empty).Append(attachment.Url);
        }

        var chunks = DiscordMapper.SplitContent(text.ToString(), Options.MaxMessageLength);
        if (chunks.Count == 0)
            return Failed(message, SendResult.Permanent("nothing to send: the message has no text and no attachments"));

        message.Properties.TryGetValue(DiscordMapper.InteractionTokenProperty, out var interactionToken);
        message.Properties.TryGetValue(DiscordMapper.ApplicationIdProperty, out var applicationId);
        message.Properties.TryGetValue(DiscordMapper.InteractionIdProperty, out var interactionId);
        applicationId ??= Options.ApplicationId;
        var viaInteraction = interactionToken is not null && applicationId is not null;
        var channelId = message.ExternalThreadId ?? message.ExternalChatId;
        var mentions = new AllowedMentions();
        string? lastId = null;

        for (var i = 0; i < chunks.Count; i++)
        {
            var route = viaInteraction ? "webhook:" + (interactionId ?? applicationId) : "channel:" + channelId;
            var wait = _limits.WaitFor(route, _context.TimeProvider.GetUtcNow());
            if (wait > TimeSpan.Zero)
            {
                if (i == 0)
                    return Failed(message, SendResult.Retry($"Discord rate limit bucket for this route is exhausted; next send in {wait.TotalSeconds:0.###} s", wait));
                await Task.Delay(wait, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            DiscordApiResult<DiscordMessage> result;
            if (viaInteraction)
            {
                var request = new CreateMessageRequest { Content = chunks[i], AllowedMentions = mentions };
                var key = interactionId ?? interactionToken!;
                var editOriginal = !_answeredInteractions.ContainsKey(key);
                result = editOriginal
                    ? await Api.EditOriginalInteractionResponseAsync(applicationId!, interactionToken!, request, cancellationToken).ConfigureAwait(false)
                    : await Api.CreateFollowupMessageAsync(applicationId!, interactionToken!, request, cancellationToken).ConfigureAwait(false);
                _limits.Observe(route, result, _context.TimeProvider.GetUtcNow());
                if (result.StatusCode is 401 or 404)
                {
                    DiscordLog.InteractionExpired(_logger, message.DeliveryId);
                    viaInteraction = false;
                    i--;
                    continue;
                }

                if (result.Ok && editOriginal)
                    RememberAnswered(key);
            }
            else
            {
                var request = new CreateMessageRequest
                {
                    Content = chunks[i],
                    Nonce = DiscordMapper.Nonce(message.IdempotencyKey, i),
                    EnforceNonce = true,
                    AllowedMentions = mentions,
                    MessageReference = i == 0 && message.ReplyToPlatformMessageId is { } replyTo
                        ? new MessageReference { MessageId = replyTo, FailIfNotExists = false }
                        : null,
                };
                result = await Api.CreateMessageAsync(channelId, request, cancellationToken).ConfigureAwait(false);
                _limits.Observe(route, result, _context.TimeProvider.GetUtcNow());
            }

            if (!result.Ok)
            {
                if (result.StatusCode == 401 && _context.StatusSink is { } status)
                    await status.ReportErrorAsync("Discord rejected the bot token (401) while sending; set credentials.bot_token to the current token from the developer portal", cancellationToken).ConfigureAwait(false);
                return Failed(message, DiscordMapper.ToFailedSendResult(result));
            }

            lastId = result.Value?.Id ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void RememberAnswered(string key)
    {
        var now = _context.TimeProvider.GetUtcNow();
        _answeredInteractions[key] = now;
        foreach (var entry in _answeredInteractions)
        {
            if (now - entry.Value > InteractionLifetime)
                _answeredInteractions.TryRemove(entry.Key, out _);
        }
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        DiscordLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private WebhookResult Rejected(int status, string reason)
    {
        DiscordLog.InteractionRejected(_logger, reason);
        return WebhookResult.Reject(status, reason);
    }

    private static WebhookResult Json(byte[] body, IReadOnlyList<InboundMessage> messages) =>
        new() { StatusCode = 200, ContentType = "application/json", ResponseBody = body, Messages = messages };

    private async ValueTask FailAsync(string error, CancellationToken cancellationToken)
    {
        DiscordLog.ConnectFailed(_logger, error);
        if (_context.StatusSink is { } sink)
            await sink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"Discord channel {_context.ChannelId}: {error}");
    }
}
