using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Evolution.Model;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Evolution;

/// <summary>
/// One WhatsApp number connected through an Evolution API instance (a WhatsApp Web session run by the Evolution server,
/// https://doc.evolution-api.com): receives <c>messages.upsert</c> webhook events and answers with
/// <c>POST /message/sendText/{instance}</c>. Works in direct chats and groups.
/// </summary>
public sealed class EvolutionChannelAdapter : IChannelAdapter
{
    /// <summary>The query parameter that may carry the channel's webhook secret (<c>…/webhooks/{channelId}?token=…</c>).</summary>
    public const string TokenQueryParameter = "token";

    private readonly ChannelContext _context;
    private readonly ILogger _logger;
    private readonly string _apiKey;
    private readonly HashSet<string> _configuredBotJids;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services; <see cref="ChannelContext.WebhookSecret"/> is the inbound token.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="apiKey">The <c>apikey</c> for the Evolution server.</param>
    public EvolutionChannelAdapter(ChannelContext context, EvolutionOptions options, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        _context = context;
        _logger = context.Logger;
        _apiKey = apiKey;
        Options = options;
        _configuredBotJids = new HashSet<string>(options.BotJids.Select(EvolutionMapper.NormalizeJid), StringComparer.Ordinal);
        Api = new EvolutionApiClient(context.HttpClient, options, apiKey, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public EvolutionOptions Options { get; }

    /// <summary>The Evolution API client of this channel.</summary>
    public EvolutionApiClient Api { get; }

    /// <inheritdoc />
    /// <remarks>Always false: Evolution delivers by webhook.</remarks>
    public bool UsesListener => false;

    /// <summary>
    /// Handles an Evolution webhook call. Evolution does not sign its webhooks, so a call is authentic when it carries
    /// one of (all compared in constant time):
    /// <list type="number">
    /// <item><description>the channel's webhook secret as query parameter <c>token</c> (a webhook URL
    /// <c>…/webhooks/{channelId}?token={secret}</c>; works with every Evolution version), or as
    /// <c>Authorization: Bearer {secret}</c> (the instance webhook's <c>headers</c> setting of Evolution 2.2 and later) —
    /// checked before the body is parsed;</description></item>
    /// <item><description>or the body's <c>apikey</c> field equal to <c>credentials.api_key</c>: Evolution puts the
    /// instance's token there when the server runs with <c>AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true</c>.</description></item>
    /// </list>
    /// Otherwise 401, nothing stored. Non-POST → 405; a body that is not JSON (with a valid token) → 400; an event of
    /// another instance or another type than <c>messages.upsert</c> → 200 ignored; otherwise 200 accepting the mapped
    /// message(s) (<see cref="EvolutionMapper.MapUpsert"/>; the bot is the instance's own number in <c>sender</c> plus
    /// <c>config.bot_jids</c>).
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous.</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            return ValueTask.FromResult(Reject(405, "only POST is accepted"));

        var tokenOk = PresentsWebhookSecret(request);
        EvolutionWebhook? webhook = null;
        string? parseError = null;
        try
        {
            webhook = JsonSerializer.Deserialize(request.Body.Span, EvolutionJsonContext.Default.EvolutionWebhook);
        }
        catch (JsonException ex)
        {
            parseError = ex.Message;
        }

        if (!tokenOk && !(webhook?.Apikey is { Length: > 0 } bodyKey && Same(bodyKey, _apiKey)))
            return ValueTask.FromResult(Reject(401, "no valid token: add ?token=<the channel's webhook secret> to the webhook URL set in Evolution (or send it as Authorization: Bearer), or run Evolution with AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true so that its apikey field matches credentials.api_key"));
        if (webhook is null)
            return ValueTask.FromResult(Reject(400, $"the body is not an Evolution API webhook in JSON ({parseError ?? "empty"})"));

        var eventName = EvolutionMapper.NormalizeEvent(webhook.Event);
        if (webhook.Instance is { Length: > 0 } instance && !string.Equals(instance, Options.Instance, StringComparison.Ordinal))
            return ValueTask.FromResult(Ignore(eventName, $"event of instance '{instance}', not this channel's '{Options.Instance}'"));
        if (eventName != "messages.upsert")
            return ValueTask.FromResult(Ignore(eventName, "not a messages.upsert event"));

        var botJids = new HashSet<string>(_configuredBotJids, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(webhook.Sender))
            botJids.Add(EvolutionMapper.NormalizeJid(webhook.Sender));
        var receivedAt = request.ReceivedAt == default ? _context.TimeProvider.GetUtcNow() : request.ReceivedAt;
        var items = webhook.Data.ValueKind switch
        {
            JsonValueKind.Object => [webhook.Data],
            JsonValueKind.Array => webhook.Data.EnumerateArray().ToArray(),
            _ => Array.Empty<JsonElement>(),
        };
        var messages = new List<InboundMessage>();
        var reasons = new List<string>();
        foreach (var item in items)
        {
            EvolutionMessageData? data;
            try
            {
                data = item.Deserialize(EvolutionJsonContext.Default.EvolutionMessageData);
            }
            catch (JsonException ex)
            {
                return ValueTask.FromResult(Reject(400, $"data of messages.upsert is not a message ({ex.Message})"));
            }

            string? reason = "data is empty";
            var message = data is null ? null : EvolutionMapper.MapUpsert(data, botJids, receivedAt, out reason);
            if (message is not null)
            {
                messages.Add(message);
                continue;
            }

            EvolutionLog.EventIgnored(_logger, eventName, reason);
            reasons.Add(reason ?? "ignored");
        }

        return ValueTask.FromResult(messages.Count > 0 ? WebhookResult.Accept(messages) : WebhookResult.Ignore(reasons.Count > 0 ? string.Join("; ", reasons) : "no data"));
    }

    /// <summary>
    /// Asks the server for the instance's connection state (<c>GET /instance/connectionState/{instance}</c>): <c>open</c>
    /// reports the channel connected; another state (the phone is not paired: scan the QR code in Evolution), a
    /// refused key (401/403) or an unknown instance (404) is reported as the channel's error; failures throw so that the
    /// kernel retries with backoff.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">The instance is not usable or the server could not be reached.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var result = await Api.GetConnectionStateAsync(cancellationToken).ConfigureAwait(false);
        string? error = null;
        var report = false;
        if (!result.Ok)
        {
            error = "reading the instance's connection state failed: " + EvolutionMapper.ToFailedSendResult(result).Error;
            report = EvolutionMapper.IsChannelError(result);
        }
        else if (result.Response?.Instance?.State is var state && state != "open")
        {
            error = $"instance '{Options.Instance}' is not connected to WhatsApp (state '{state}'): pair the phone by scanning the QR code in the Evolution manager (instance/connect/{Options.Instance})";
            report = true;
        }

        if (error is not null)
        {
            EvolutionLog.ChannelError(_logger, error);
            if (report && _context.StatusSink is { } errorSink)
                await errorSink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"Evolution channel {_context.ChannelId}: {error}");
        }

        EvolutionLog.Connected(_logger, Options.Instance);
        if (_context.StatusSink is { } sink)
            await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Nothing to undo: the webhook is configured on the Evolution instance.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Never called (<see cref="UsesListener"/> is false); returns at once.</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends the text (<see cref="EvolutionMapper.PlanSend"/>) with <c>sendText</c>, stopping at the first failure, mapped
    /// by <see cref="EvolutionMapper.ToFailedSendResult"/> (key and instance errors are also reported as the channel's
    /// error). Delivered reports the last sent message's <c>key.id</c>. Evolution has no idempotency key: a retry after
    /// a lost answer may show a part twice.
    /// </summary>
    /// <param name="message">What to send and where (<see cref="OutboundMessage.ExternalChatId"/> is the chat's JID).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var calls = EvolutionMapper.PlanSend(message, Options.QuoteInGroups);
        if (calls.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachments"));

        string? lastId = null;
        foreach (var call in calls)
        {
            var result = await Api.SendTextAsync(call, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                var failed = EvolutionMapper.ToFailedSendResult(result);
                if (EvolutionMapper.IsChannelError(result) && _context.StatusSink is { } sink)
                    await sink.ReportErrorAsync(failed.Error!, cancellationToken).ConfigureAwait(false);
                return Failed(message, failed);
            }

            lastId = result.Response?.Key?.Id ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private bool PresentsWebhookSecret(WebhookRequest request)
    {
        if (string.IsNullOrEmpty(_context.WebhookSecret))
            return false;
        var query = HttpUtility.ParseQueryString(request.QueryString)[TokenQueryParameter];
        if (query is { Length: > 0 } && Same(query, _context.WebhookSecret))
            return true;
        return request.Headers.TryGetValue("Authorization", out var authorization)
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && Same(authorization["Bearer ".Length..].Trim(), _context.WebhookSecret);
    }

    private static bool Same(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private WebhookResult Ignore(string eventName, string reason)
    {
        EvolutionLog.EventIgnored(_logger, eventName, reason);
        return WebhookResult.Ignore(reason);
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        EvolutionLog.SendFailed(_logger, message.DeliveryId, result.Outcome, result.Error);
        return result;
    }

    private WebhookResult Reject(int status, string reason)
    {
        EvolutionLog.WebhookRejected(_logger, status, reason);
        return WebhookResult.Reject(status, reason);
    }
}
