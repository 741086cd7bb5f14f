using System.Security.Cryptography;
using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Mattermost;

/// <summary>
/// One Mattermost channel: receives posts from an outgoing webhook (Mattermost "Outgoing webhooks") and answers with the
/// REST API v4 <c>POST /posts</c> as a bot account. The bot WebSocket listener is not implemented (see the README).
/// </summary>
public sealed class MattermostChannelAdapter : IChannelAdapter
{
    private const string InvalidRootId = "api.post.create_post.root_id.app_error";
    private readonly ILogger _logger;
    private readonly byte[] _webhookToken;
    private string? _botUserId;
    private string? _botUsername;

    internal MattermostChannelAdapter(ChannelContext context, MattermostOptions options, string webhookToken, string botToken)
    {
        _logger = context.Logger;
        Options = options;
        _webhookToken = Encoding.UTF8.GetBytes(webhookToken);
        _botUserId = options.BotUserId;
        _botUsername = options.BotUsername;
        Api = new MattermostApiClient(context.HttpClient, options, botToken, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public MattermostOptions Options { get; }

    /// <summary>The REST API client of this channel.</summary>
    public MattermostApiClient Api { get; }

    /// <summary>The bot's user id (config, or learnt at connect), or null.</summary>
    public string? BotUserId => Volatile.Read(ref _botUserId);

    /// <inheritdoc />
    public bool UsesListener => false;

    /// <summary>
    /// Handles one outgoing webhook call (form-encoded or JSON). The body's <c>token</c> must equal
    /// credentials.webhook_token (constant-time comparison), otherwise 401 and nothing is stored; a body that is neither
    /// form nor JSON → 401 as well (no token could be read). A post is mapped by <see cref="MattermostMapper.TryMap"/> and
    /// accepted; the answer is 200 with an empty body, which Mattermost takes as "no reply post" (the reply follows
    /// through the REST API).
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous.</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            return Reject(405, "outgoing webhooks are POSTed; nothing to do for " + request.Method);
        request.Headers.TryGetValue("Content-Type", out var contentType);
        var payload = MattermostMapper.ParsePayload(request.Body.Span, contentType);
        var presented = Encoding.UTF8.GetBytes(payload?.Token ?? string.Empty);
        if (payload is null || !CryptographicOperations.FixedTimeEquals(presented, _webhookToken))
            return Reject(401, "the outgoing webhook token does not match credentials.webhook_token (or the body has none)");

        var message = MattermostMapper.TryMap(payload, Options, BotUserId, Volatile.Read(ref _botUsername), out var reason);
        if (message is null)
        {
            MattermostLog.PostIgnored(_logger, payload.PostId, reason!);
            return ValueTask.FromResult(WebhookResult.Ignore(reason!));
        }

        return ValueTask.FromResult(WebhookResult.Accept(message));
    }

    /// <summary>
    /// Calls <c>GET /api/v4/users/me</c> with the bot token: checks the token and learns the bot's id and username (unless
    /// configured), so that its own posts are ignored and <c>@username</c> mentions recognised.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">Mattermost refused the token or could not be reached; the message says what to do.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var me = await Api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        if (!me.Ok)
        {
            throw new InvalidOperationException(me.HttpStatus == 401
                ? $"Mattermost refused credentials.bot_token ({me.Describe()}); create a token for the bot account (Integrations → Bot Accounts) and set it"
                : $"Mattermost users/me failed ({me.Describe()}); check config.server_url and network access");
        }

        if (Options.BotUserId is null && me.String("id") is { Length: > 0 } id)
            Volatile.Write(ref _botUserId, id);
        if (Options.BotUsername is null && me.String("username") is { Length: > 0 } username)
            Volatile.Write(ref _botUsername, username);
        var botUsername = Volatile.Read(ref _botUsername);
        var botUserId = BotUserId;
        MattermostLog.Connected(_logger, botUsername, botUserId);
    }

    /// <summary>Nothing to undo: the outgoing webhook is configured in Mattermost.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Not used: posts arrive by outgoing webhook (the WebSocket listener is not implemented).</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Posts the text (split into posts of at most 16,000 characters; attachments as their URLs) to the channel
    /// (<see cref="OutboundMessage.ExternalChatId"/>), as a reply in <see cref="OutboundMessage.ExternalThreadId"/> when set.
    /// When Mattermost refuses that root because the post is itself a reply, the post's own <c>root_id</c> is looked up
    /// and used. Failures map as in <see cref="MattermostMapper.ToFailure"/>. Delivered reports the last post's id.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder(message.Text ?? string.Empty);
        foreach (var attachment in message.Attachments)
        {
            if (attachment.Url is { } url)
                text.Append(text.Length > 0 ? "\n" : string.Empty).Append(url);
        }

        var parts = MattermostMapper.Split(text.ToString());
        if (parts.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachment URLs"));

        var rootId = message.ExternalThreadId;
        string? lastId = null;
        foreach (var part in parts)
        {
            var result = await Api.CreatePostAsync(message.ExternalChatId, part, rootId, cancellationToken).ConfigureAwait(false);
            if (result is { Ok: false, HttpStatus: 400, ErrorId: InvalidRootId } && rootId is not null)
            {
                var post = await Api.GetPostAsync(rootId, cancellationToken).ConfigureAwait(false);
                if (post.Ok && post.String("root_id") is { Length: > 0 } threadRoot && threadRoot != rootId)
                {
                    MattermostLog.ThreadRootResolved(_logger, rootId, threadRoot);
                    rootId = threadRoot;
                    result = await Api.CreatePostAsync(message.ExternalChatId, part, rootId, cancellationToken).ConfigureAwait(false);
                }
            }

            if (!result.Ok)
                return Failed(message, MattermostMapper.ToFailure(result));
            lastId = result.String("id") ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        MattermostLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private ValueTask<WebhookResult> Reject(int status, string reason)
    {
        MattermostLog.WebhookRejected(_logger, reason);
        return ValueTask.FromResult(WebhookResult.Reject(status, reason));
    }
}
