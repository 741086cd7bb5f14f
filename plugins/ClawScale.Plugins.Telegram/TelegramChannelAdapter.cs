using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;

namespace ClawScale.Plugins.Telegram;

/// <summary>
/// One Telegram channel: receives updates by webhook (secret_token checked first) or by getUpdates long polling,
/// and sends messages with sendMessage/sendPhoto/sendDocument (Bot API, https://core.telegram.org/bots/api), through
/// Telegram.Bot's client and types (see <see cref="TelegramApiClient"/>).
/// </summary>
public sealed partial class TelegramChannelAdapter : IChannelAdapter, IChannelStartLink
{
    /// <summary>The header in which Telegram presents the webhook's secret_token (Bot API "setWebhook").</summary>
    public const string SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token";

    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly ChannelContext _context;
    private readonly TelegramApiClient _api;
    private readonly ILogger _logger;
    private TelegramBotIdentity _bot;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="botToken">The bot token, shaped <c>&lt;bot id&gt;:&lt;secret&gt;</c>.</param>
    public TelegramChannelAdapter(ChannelContext context, TelegramOptions options, string botToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);
        _context = context;
        Options = options;
        _logger = context.Logger;
        _api = new TelegramApiClient(context.HttpClient, options.ApiBaseUrl, botToken, options.RequestTimeout, context.TimeProvider, context.Logger);
        var botId = long.Parse(botToken.AsSpan(0, botToken.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        _bot = new TelegramBotIdentity(botId, options.BotUsername);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public TelegramOptions Options { get; }

    /// <summary>Who the bot is: id from the token, username from config and then from getMe (<see cref="ConnectAsync"/>).</summary>
    public TelegramBotIdentity Bot => Volatile.Read(ref _bot);

    /// <summary>
    /// The deep link <c>https://t.me/&lt;bot username&gt;?start=&lt;code&gt;</c>: Telegram opens the chat with the bot and,
    /// when the user presses Start, sends <c>/start &lt;code&gt;</c> (Bot API "Deep linking"; the parameter is at most 64
    /// characters of A-Z a-z 0-9 _ -). Null while the username is unknown (no <c>bot_username</c> config and getMe has
    /// not answered yet).
    /// </summary>
    /// <param name="startCode">The start code.</param>
    /// <returns>The link, or null.</returns>
    public Uri? GetStartLink(string startCode) =>
        Bot.Username is { Length: > 0 } username ? new Uri($"https://t.me/{Uri.EscapeDataString(username)}?start={Uri.EscapeDataString(startCode)}") : null;

    /// <summary>The Bot API client of this channel.</summary>
    public TelegramApiClient Api => _api;

    /// <inheritdoc />
    public bool UsesListener => Options.Mode == TelegramMode.Polling;

    /// <summary>
    /// Handles Telegram's POST of one Update. First checks <c>X-Telegram-Bot-Api-Secret-Token</c> against the channel's
    /// webhook secret in constant time: missing or wrong → 401 and nothing parsed. Then the body is read as an Update
    /// with Telegram.Bot's serializer options (<see cref="JsonBotAPI.Options"/>): malformed JSON → 400;
    /// an update that is not a usable <c>message</c> → 200 with nothing accepted (Telegram would otherwise redeliver);
    /// otherwise 200 accepting one message.
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous.</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SecretMatches(request.Headers))
        {
            const string reason = "missing or wrong X-Telegram-Bot-Api-Secret-Token";
            TelegramLog.WebhookRejected(_logger, reason);
            return ValueTask.FromResult(WebhookResult.Reject(401, reason));
        }

        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(request.Body.Span, JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            update = null;
        }

        if (update is null)
        {
            const string reason = "body is not a JSON Telegram Update";
            TelegramLog.WebhookRejected(_logger, reason);
            return ValueTask.FromResult(WebhookResult.Reject(400, reason));
        }

        var message = TelegramMapper.TryMapUpdate(update, Bot, out var ignoredReason);
        if (message is null)
        {
            TelegramLog.UpdateIgnored(_logger, update.Id, ignoredReason!);
            return ValueTask.FromResult(WebhookResult.Ignore(ignoredReason!));
        }

        return ValueTask.FromResult(WebhookResult.Accept(message));
    }

    /// <summary>
    /// Learns the bot's username with getMe, then in webhook mode calls setWebhook with the channel's public webhook URL,
    /// <c>secret_token</c> = the channel's webhook secret and allowed_updates; in polling mode calls deleteWebhook
    /// (pending updates kept). Reports the channel connected, or the error through the status sink.
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that ends when Telegram is prepared.</returns>
    /// <exception cref="InvalidOperationException">
    /// The token was rejected, webhook mode lacks a public URL, the webhook secret is not a valid secret_token
    /// (1–256 of A-Z a-z 0-9 _ -), or Telegram refused the call; the message says what to do.
    /// </exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var me = await _api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        if (!me.Ok)
            await FailAsync(me.ErrorCode == 401
                ? "Telegram rejected the bot token (401 Unauthorized): set credentials.bot_token to the current token from @BotFather"
                : $"getMe failed ({me.ErrorCode}: {me.Description}); check api_base_url and network access to Telegram", cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _bot, new TelegramBotIdentity(me.Value!.Id, me.Value.Username ?? Options.BotUsername));

        if (Options.Mode == TelegramMode.Webhook)
        {
            if (_context.PublicWebhookUrl is null)
                await FailAsync("webhook mode needs the kernel's public base URL (option ClawScale:PublicBaseUrl, an https URL Telegram can reach); set it or use config.mode \"polling\"", cancellationToken).ConfigureAwait(false);
            if (!SecretTokenRegex().IsMatch(_context.WebhookSecret))
                await FailAsync($"the channel's webhook secret cannot be Telegram's secret_token, which must be 1–256 characters of A-Z a-z 0-9 _ - (it is {_context.WebhookSecret.Length} characters long or has other characters); rotate the channel's webhook secret to such a value", cancellationToken).ConfigureAwait(false);
            var set = await _api.SetWebhookAsync(new SetWebhookRequest
            {
                Url = _context.PublicWebhookUrl!.AbsoluteUri,
                SecretToken = _context.WebhookSecret,
                AllowedUpdates = Options.AllowedUpdates,
                DropPendingUpdates = false,
            }, cancellationToken).ConfigureAwait(false);
            if (!set.Ok)
                await FailAsync($"setWebhook failed ({set.ErrorCode}: {set.Description}); Telegram needs an https URL on port 443, 80, 88 or 8443 that it can reach", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var deleted = await _api.DeleteWebhookAsync(dropPendingUpdates: false, cancellationToken).ConfigureAwait(false);
            if (!deleted.Ok)
                await FailAsync($"deleteWebhook failed ({deleted.ErrorCode}: {deleted.Description}); polling cannot work while a webhook is set", cancellationToken).ConfigureAwait(false);
            TelegramLog.WebhookDeleted(_logger);
        }

        TelegramLog.Connected(_logger, Bot.Username, Bot.Id, Options.Mode);
        if (_context.StatusSink is { } sink)
            await sink.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>In webhook mode, calls deleteWebhook (pending updates kept); nothing to undo in polling mode.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">Telegram refused deleteWebhook.</exception>
    public async ValueTask DisconnectAsync(CancellationToken cancellationToken)
    {
        if (Options.Mode != TelegramMode.Webhook)
            return;
        var deleted = await _api.DeleteWebhookAsync(dropPendingUpdates: false, cancellationToken).ConfigureAwait(false);
        if (!deleted.Ok)
            throw new InvalidOperationException($"Telegram deleteWebhook failed ({deleted.ErrorCode}: {deleted.Description})");
        TelegramLog.WebhookDeleted(_logger);
    }

    /// <summary>
    /// Long-polls getUpdates until cancelled. The offset moves past a batch only after <paramref name="sink"/> has
    /// accepted it (at-least-once; the kernel deduplicates on update_id). Errors back off exponentially with jitter
    /// (1 s to 60 s) on the channel's clock; 429 waits <c>retry_after</c>; 409 (webhook active or another poller)
    /// is reported with what to do and retried; 401 is reported and ends the listener.
    /// </summary>
    /// <param name="sink">The kernel's ACCEPT stage.</param>
    /// <param name="cancellationToken">Stops the listener.</param>
    /// <returns>A task that ends when cancelled or when the token is rejected.</returns>
    public async Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        TelegramLog.PollingStarted(_logger, Options.PollingTimeoutSeconds);
        int? offset = null;
        var failures = 0;
        var conflictReported = false;
        var connectedReported = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await _api.GetUpdatesAsync(new GetUpdatesRequest
                {
                    Offset = offset,
                    Timeout = Options.PollingTimeoutSeconds,
                    AllowedUpdates = Options.AllowedUpdates,
                }, cancellationToken).ConfigureAwait(false);

                if (!result.Ok)
                {
                    failures++;
                    if (result.ErrorCode == 401)
                    {
                        const string error = "bot token rejected by Telegram (401 Unauthorized): polling stopped; set credentials.bot_token to the current token from @BotFather";
                        TelegramLog.PollingStopped(_logger, error);
                        await ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    if (result.ErrorCode == 409 && !conflictReported)
                    {
                        conflictReported = true;
                        connectedReported = false;
                        await ReportErrorAsync($"getUpdates conflict (409: {result.Description}). Either a webhook is set for this bot (switch config.mode to \"webhook\", or reconnect the channel so that deleteWebhook runs) or another program polls with the same token (stop it, or give this channel its own bot); retrying", cancellationToken).ConfigureAwait(false);
                    }

                    var delay = result.ErrorCode == 429 && result.RetryAfter is { } retryAfter ? retryAfter : Backoff(failures);
                    TelegramLog.PollingRetry(_logger, result.ErrorCode, result.Description, delay.TotalMilliseconds);
                    await Task.Delay(delay, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var updates = result.Value ?? [];
                if (updates.Length > 0)
                {
                    var messages = new List<InboundMessage>(updates.Length);
                    foreach (var update in updates)
                    {
                        var message = TelegramMapper.TryMapUpdate(update, Bot, out var reason);
                        if (message is null)
                            TelegramLog.UpdateIgnored(_logger, update.Id, reason!);
                        else
                            messages.Add(message);
                    }

                    var last = updates.Max(u => u.Id);
                    if (messages.Count > 0)
                    {
                        try
                        {
                            await sink.AcceptAsync(messages, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                        {
                            failures++;
                            TelegramLog.SinkFailed(_logger, last, ex);
                            await Task.Delay(Backoff(failures), _context.TimeProvider, cancellationToken).ConfigureAwait(false);
                            continue;
                        }
                    }

                    offset = last + 1;
                }

                failures = 0;
                conflictReported = false;
                if (!connectedReported)
                {
                    connectedReported = true;
                    if (_context.StatusSink is { } status)
                        await status.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends a message (see <see cref="TelegramMapper.PlanSend"/>): text in chunks of at most 4096 UTF-16 code units,
    /// attachments by sendPhoto/sendDocument, the first call quoting the user's message, all in the route's forum
    /// topic. Stops at the first failure. Delivered reports the last message_id; failures map as in
    /// <see cref="TelegramMapper.ToFailedSendResult{T}"/>. A failure after some chunks were sent makes the kernel's
    /// retry send those chunks again (the Bot API has no idempotency key).
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        IReadOnlyList<TelegramSendStep> steps;
        try
        {
            steps = TelegramMapper.PlanSend(message, Options);
        }
        catch (ArgumentException ex)
        {
            return Failed(message, SendResult.Permanent(ex.Message));
        }

        if (steps.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachments"));

        string? lastId = null;
        foreach (var step in steps)
        {
            var result = await _api.SendAsync(step, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                if (result.ErrorCode == 401)
                    await ReportErrorAsync("bot token rejected by Telegram (401 Unauthorized) while sending; set credentials.bot_token to the current token from @BotFather", cancellationToken).ConfigureAwait(false);
                return Failed(message, TelegramMapper.ToFailedSendResult(result));
            }

            lastId = result.Value?.Id.ToString(CultureInfo.InvariantCulture);
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        TelegramLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private bool SecretMatches(IReadOnlyDictionary<string, string> headers)
    {
        if (!headers.TryGetValue(SecretTokenHeader, out var presented))
        {
            presented = headers.FirstOrDefault(h => string.Equals(h.Key, SecretTokenHeader, StringComparison.OrdinalIgnoreCase)).Value;
        }

        if (presented is null || string.IsNullOrEmpty(_context.WebhookSecret))
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(_context.WebhookSecret));
    }

    private static TimeSpan Backoff(int failures)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        var jittered = capped * (0.5 + (Random.Shared.NextDouble() / 2));
        return TimeSpan.FromMilliseconds(jittered);
    }

    private async ValueTask ReportErrorAsync(string error, CancellationToken cancellationToken)
    {
        if (_context.StatusSink is { } sink)
            await sink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FailAsync(string error, CancellationToken cancellationToken)
    {
        TelegramLog.ConnectFailed(_logger, error);
        await ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"Telegram channel {_context.ChannelId}: {error}");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretTokenRegex();
}
