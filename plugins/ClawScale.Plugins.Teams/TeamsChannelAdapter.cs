using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Teams.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// One Microsoft Teams bot: receives activities the Bot Connector POSTs to the messaging endpoint (the kernel's webhook
/// route), authenticated by the Connector's JWT before the body is read, and sends replies with the Connector REST API
/// (Bot Framework docs "Authentication with the Bot Connector API", "Send and receive messages with the Bot Connector
/// API"; Teams docs "Messages in bot conversations").
/// </summary>
public sealed class TeamsChannelAdapter : IChannelAdapter
{
    private readonly ChannelContext _context;
    private readonly ILogger _logger;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="appPassword">The app password (client secret).</param>
    public TeamsChannelAdapter(ChannelContext context, TeamsOptions options, string appPassword)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _logger = context.Logger;
        Options = options;
        Authenticator = new BotFrameworkAuthenticator(context.HttpClient, options, context.TimeProvider, context.Logger);
        Tokens = new BotFrameworkTokenProvider(context.HttpClient, options, appPassword, context.TimeProvider, context.Logger);
        Api = new TeamsApiClient(context.HttpClient, Tokens, options.RequestTimeout, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public TeamsOptions Options { get; }

    /// <summary>The inbound token check.</summary>
    public BotFrameworkAuthenticator Authenticator { get; }

    /// <summary>The bot's Connector token.</summary>
    public BotFrameworkTokenProvider Tokens { get; }

    /// <summary>The Connector client.</summary>
    public TeamsApiClient Api { get; }

    /// <inheritdoc />
    public bool UsesListener => false;

    /// <summary>
    /// Handles one activity POST. First the <c>Authorization</c> JWT (<see cref="BotFrameworkAuthenticator"/>): missing or
    /// invalid → 401 (503 when the Connector's keys cannot be fetched), nothing parsed or stored. Then: a body that is not
    /// an activity or lacks <c>type</c>/<c>id</c>/<c>serviceUrl</c>/<c>conversation.id</c>/<c>from.id</c> → 400; a token
    /// whose <c>serviceurl</c> claim differs from the activity's <c>serviceUrl</c> → 401; a signing key whose
    /// <c>endorsements</c> lack the activity's <c>channelId</c> → 403 (Bot Framework authentication spec, step 3). A
    /// <c>message</c> → 200 accepting one message (<see cref="TeamsMapper.TryMapActivity"/>; the kernel deduplicates
    /// redeliveries on <see cref="TeamsMapper.DedupKey"/>); any other activity (conversationUpdate, typing, invoke, …) → 200
    /// ignored. A service URL outside <see cref="TeamsOptions.ServiceUrlHosts"/> is still accepted (it is authentic), but
    /// logged, and its replies are dead-lettered with an error naming the setting, so they can be retried after a fix.
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Cancels a metadata fetch.</param>
    /// <returns>The result.</returns>
    public async ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var check = await Authenticator.ValidateAsync(Header(request.Headers, "Authorization"), cancellationToken).ConfigureAwait(false);
        if (!check.IsValid)
            return Reject(check.StatusCode, "Bot Framework authentication failed: " + check.Failure);

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(request.Body.Span, TeamsJsonContext.Default.Activity);
        }
        catch (JsonException)
        {
            activity = null;
        }

        if (activity is null)
            return Reject(400, "the body is not a Bot Framework activity (JSON object)");
        if (!TeamsMapper.HasRequiredFields(activity, out var missing))
            return Reject(400, missing!);

        if (!string.Equals(check.ServiceUrl, activity.ServiceUrl, StringComparison.Ordinal))
            return Reject(401, "Bot Framework authentication failed: the token's serviceurl claim does not match the activity's serviceUrl");

        var channelId = activity.ChannelId ?? string.Empty;
        if (check.Endorsements is null || !check.Endorsements.Contains(channelId, StringComparer.Ordinal))
            return Reject(403, $"the key that signed the token is not endorsed for channel '{channelId}' (Bot Framework authentication spec: endorsements)");

        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl))
            return Reject(400, "the activity's serviceUrl is not an absolute URL");
        if (!ServiceUrlPolicy.Check(serviceUrl, Options, out var problem))
            TeamsLog.ServiceUrlNotAllowed(_logger, activity.Id, problem!);

        var now = request.ReceivedAt == default ? _context.TimeProvider.GetUtcNow() : request.ReceivedAt;
        var message = TeamsMapper.TryMapActivity(activity, now, out var ignored);
        if (message is null)
        {
            TeamsLog.ActivityIgnored(_logger, activity.Id, ignored!);
            return WebhookResult.Ignore(ignored!);
        }

        return WebhookResult.Accept(message);
    }

    /// <summary>
    /// Checks the app credentials by fetching a Connector token (there is nothing to register on the platform: the
    /// messaging endpoint is set on the Azure Bot resource). Accepted → reports the channel connected. Refused
    /// (<c>invalid_client</c>, …) → reports the error and throws. Unreachable → logs and returns (sends will retry).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">The token endpoint refused the credentials; the message says what to fix.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var token = await Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token.Token is not null)
        {
            TeamsLog.Connected(_logger, Options.AppId);
            if (_context.StatusSink is { } sink)
                await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var error = token.Failure!.Error!;
        if (token.Failure.Outcome == SendOutcome.PermanentFailure)
        {
            TeamsLog.ConnectFailed(_logger, error);
            await ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"Teams channel {_context.ChannelId}: {error}");
        }

        TeamsLog.ConnectDeferred(_logger, error);
    }

    /// <summary>Nothing to undo: the messaging endpoint is a setting of the Azure Bot resource.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Not used: the Bot Connector only POSTs activities (<see cref="UsesListener"/> is false).</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends a message as one or more activities (<see cref="TeamsMapper.PlanSend"/>) to the route's conversation, as a
    /// reply to <see cref="OutboundMessage.ReplyToPlatformMessageId"/> when set. The service URL is the inbound activity's
    /// (message property <c>service_url</c>), else <see cref="TeamsOptions.DefaultServiceUrl"/>; it must pass
    /// <see cref="ServiceUrlPolicy"/>, otherwise the delivery is dead-lettered. Stops at the first failure (mapped by
    /// <see cref="TeamsMapper.ToFailedSendResult"/>); a rejected app credential is also reported as the channel's error.
    /// The Connector has no idempotency key: a retry after a partial send repeats the parts already sent.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome; Delivered carries the last activity's id.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Uri? serviceUrl = message.Properties.TryGetValue(TeamsMapper.ServiceUrlProperty, out var fromActivity) && Uri.TryCreate(fromActivity, UriKind.Absolute, out var parsed)
            ? parsed
            : Options.DefaultServiceUrl;
        if (serviceUrl is null)
            return Failed(message, SendResult.Permanent("no Bot Connector serviceUrl is known for this message (it did not answer an inbound activity); set config.default_service_url, for example https://smba.trafficmanager.net/teams/"));
        if (!ServiceUrlPolicy.Check(serviceUrl, Options, out var problem))
            return Failed(message, SendResult.Permanent(problem! + "; the bot's token is only sent to allowed hosts"));

        IReadOnlyList<OutboundActivity> activities;
        try
        {
            activities = TeamsMapper.PlanSend(message, Options);
        }
        catch (ArgumentException ex)
        {
            return Failed(message, SendResult.Permanent(ex.Message));
        }

        string? lastId = null;
        foreach (var activity in activities)
        {
            var result = await Api.SendActivityAsync(serviceUrl, message.ExternalChatId, message.ReplyToPlatformMessageId, activity, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                var failed = TeamsMapper.ToFailedSendResult(result);
                if (failed.Outcome == SendOutcome.PermanentFailure && (result.TokenFailure is not null || result.HttpStatus == 401))
                    await ReportErrorAsync(failed.Error!, cancellationToken).ConfigureAwait(false);
                return Failed(message, failed);
            }

            lastId = result.ActivityId ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private WebhookResult Reject(int status, string reason)
    {
        TeamsLog.ActivityRejected(_logger, status, reason);
        return WebhookResult.Reject(status, reason);
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        TeamsLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private async ValueTask ReportErrorAsync(string error, CancellationToken cancellationToken)
    {
        if (_context.StatusSink is { } sink)
            await sink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
            return value;
        foreach (var (key, found) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return found;
        }

        return null;
    }
}
