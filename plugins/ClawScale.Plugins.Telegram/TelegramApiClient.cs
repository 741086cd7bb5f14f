using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Args;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Requests.Abstractions;
using Telegram.Bot.Types;

namespace ClawScale.Plugins.Telegram;

/// <summary>
/// The seam between the adapter and the Bot API: a <see cref="TelegramBotClient"/> (Telegram.Bot) on the channel's
/// HttpClient and API base URL, whose exceptions become <see cref="TelegramApiResult{T}"/> values. Never throws for Bot
/// API errors (<see cref="ApiRequestException"/>), network failures, answers that are not a Bot API envelope
/// (<see cref="RequestException"/>) or timeouts; only the caller's cancellation throws
/// <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// <para>
/// Telegram.Bot's own retry of 429 answers ("Too Many Requests: retry after N") is switched off
/// (<see cref="TelegramBotClientOptions.RetryThreshold"/> = 0): the Bot API's <c>parameters.retry_after</c> is handed
/// back in <see cref="TelegramApiResult{T}.RetryAfter"/> so that the kernel's DELIVER stage (which owns retries,
/// backoff and dead letters) and the polling listener wait it out themselves, on their own clock.
/// </para>
/// <para>
/// The bot token is part of every request URL (<c>{base}/bot&lt;token&gt;/&lt;method&gt;</c>), so URLs are never logged,
/// exception objects from the HTTP stack are never logged or wrapped, and every error text is redacted
/// (<see cref="Redact"/>) before it reaches a log line, a <see cref="TelegramApiResult{T}"/> or a send result.
/// </para>
/// </remarks>
public sealed class TelegramApiClient
{
    private const string Redacted = "<token>";

    private readonly TelegramBotClient _bot;
    private readonly string _token;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<IRequest, string> _uploadMimeTypes = [];

    /// <summary>Creates a client.</summary>
    /// <param name="http">
    /// The channel's HttpClient, shared with the host: its own timeout is neither used nor changed (each call has
    /// <paramref name="requestTimeout"/>, getUpdates its long-poll timeout plus 10 s).
    /// </param>
    /// <param name="apiBaseUrl">
    /// The Bot API server, for example https://api.telegram.org, a local Bot API server (http://localhost:8081) or a
    /// test fake; only its scheme, host and port are used (Telegram.Bot's <see cref="TelegramBotClientOptions.BaseUrl"/>).
    /// </param>
    /// <param name="botToken">The bot token, <c>&lt;bot id&gt;:&lt;secret&gt;</c>; never logged.</param>
    /// <param name="requestTimeout">The timeout of each call other than getUpdates.</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    /// <param name="logger">Where failed calls are logged (method name, error code and redacted description only).</param>
    /// <exception cref="ArgumentException">The token is not shaped <c>&lt;bot id&gt;:&lt;secret&gt;</c> (the message does not contain it).</exception>
    public TelegramApiClient(HttpClient http, Uri apiBaseUrl, string botToken, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);
        _token = botToken;
        _requestTimeout = requestTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var baseUrl = apiBaseUrl == TelegramOptions.DefaultApiBaseUrl ? null : apiBaseUrl.GetLeftPart(UriPartial.Authority);
        var options = new TelegramBotClientOptions(botToken, baseUrl)
        {
            // No automatic retry inside Telegram.Bot: a 429 must reach the kernel with its retry_after (see remarks).
            RetryThreshold = 0,
            RetryCount = 0,
        };
        _bot = new TelegramBotClient(options, http);
        _bot.OnMakingApiRequest += LabelUploadAsync;
    }

    /// <summary>Bot API "getMe": the bot's own user (id, username).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bot, or the failure (401 when the token is rejected).</returns>
    public Task<TelegramApiResult<User>> GetMeAsync(CancellationToken cancellationToken) =>
        CallAsync(new GetMeRequest(), _requestTimeout, cancellationToken);

    /// <summary>Bot API "setWebhook": Telegram POSTs updates to <see cref="SetWebhookRequest.Url"/> from now on.</summary>
    /// <param name="request">url, secret_token, allowed_updates, drop_pending_updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True on success, or the failure (400 for a bad URL or secret_token).</returns>
    public Task<TelegramApiResult<bool>> SetWebhookAsync(SetWebhookRequest request, CancellationToken cancellationToken) =>
        CallAsync(request, _requestTimeout, cancellationToken);

    /// <summary>Bot API "deleteWebhook": stops webhook delivery so that getUpdates works.</summary>
    /// <param name="dropPendingUpdates">Whether to drop pending updates (the plugin passes false).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True on success, or the failure.</returns>
    public Task<TelegramApiResult<bool>> DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync(new DeleteWebhookRequest { DropPendingUpdates = dropPendingUpdates }, _requestTimeout, cancellationToken);

    /// <summary>
    /// Bot API "getUpdates": long-polls for updates with <c>update_id &gt;= offset</c>, confirming all older ones. The
    /// call's own timeout is the long-poll timeout (<see cref="GetUpdatesRequest.Timeout"/>, seconds) plus 10 s.
    /// </summary>
    /// <param name="request">offset, timeout (seconds), allowed_updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updates (possibly none), or the failure (401 token rejected, 409 webhook active or another poller).</returns>
    public Task<TelegramApiResult<Update[]>> GetUpdatesAsync(GetUpdatesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(request, TimeSpan.FromSeconds((request.Timeout ?? 0) + 10), cancellationToken);
    }

    /// <summary>
    /// One call of an outbound message (Bot API "sendMessage", "sendPhoto" or "sendDocument"). A file given as an
    /// <see cref="InputFileStream"/> is uploaded as multipart/form-data ("Sending files": photos ≤ 10 MB, other files
    /// ≤ 50 MB) with <see cref="TelegramSendStep.UploadMimeType"/> as the part's Content-Type.
    /// </summary>
    /// <param name="step">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sent message, or the failure (429 flood control, 400 chat not found, 403 blocked, …).</returns>
    public Task<TelegramApiResult<Message>> SendAsync(TelegramSendStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.UploadMimeType is { } mimeType)
            _uploadMimeTypes.AddOrUpdate(step.Request, mimeType);
        return CallAsync(step.Request, _requestTimeout, cancellationToken);
    }

    /// <summary>Replaces the bot token in <paramref name="text"/> with <c>&lt;token&gt;</c>.</summary>
    /// <param name="text">Any text that might contain a URL.</param>
    /// <returns>The redacted text.</returns>
    public string Redact(string text) => string.IsNullOrEmpty(text) ? text : text.Replace(_token, Redacted, StringComparison.Ordinal);

    private async Task<TelegramApiResult<T>> CallAsync<T>(IRequest<T> request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var method = request.MethodName;
        using var timeoutCts = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var started = _time.GetTimestamp();
        try
        {
            var result = await _bot.SendRequest(request, linked.Token).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
                TelegramLog.CallSucceeded(_logger, method, elapsedMs);
            }
            return TelegramApiResult<T>.Success(result);
        }
        catch (ApiRequestException ex)
        {
            // A Bot API answer {ok:false, error_code, description, parameters}; the message is the description.
            var description = Redact(ex.Message);
            TelegramLog.CallFailed(_logger, method, ex.ErrorCode, description);
            return new TelegramApiResult<T>
            {
                ErrorCode = ex.ErrorCode,
                Description = description,
                RetryAfter = ex.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                MigrateToChatId = ex.Parameters?.MigrateToChatId,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TelegramLog.CallFailed(_logger, method, 0, "timed out");
            return TelegramApiResult<T>.Transport(0, $"{method}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (RequestException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (timeoutCts.IsCancellationRequested)
            {
                // The timeout fired while the answer was being read (Telegram.Bot reports that as a RequestException).
                TelegramLog.CallFailed(_logger, method, 0, "timed out");
                return TelegramApiResult<T>.Transport(0, $"{method}: no answer within {timeout.TotalSeconds:0.#} s");
            }

            // No Bot API answer: a network failure ("Bot API Service Failure: …", inner HttpRequestException) or an HTTP
            // answer whose body is not an envelope (HttpStatusCode set). Only the redacted message is kept.
            var status = ex.HttpStatusCode is { } code ? (int)code : 0;
            var message = Redact(status == 0 ? ex.Message : $"HTTP {status} with a body that is not a Bot API answer ({ex.Message})");
            TelegramLog.CallFailed(_logger, method, status, message);
            return TelegramApiResult<T>.Transport(status, $"{method}: {message}");
        }
        finally
        {
            _uploadMimeTypes.Remove(request);
        }
    }

    /// <summary>
    /// Telegram.Bot's hook before each request: gives the file parts of an upload the attachment's MIME type (Telegram.Bot
    /// sends every file part as application/octet-stream).
    /// </summary>
    private ValueTask LabelUploadAsync(ITelegramBotClient client, ApiRequestEventArgs args, CancellationToken cancellationToken)
    {
        if (args.HttpRequestMessage?.Content is MultipartFormDataContent form && _uploadMimeTypes.TryGetValue(args.Request, out var mimeType)
            && MediaTypeHeaderValue.TryParse(mimeType, out var contentType))
        {
            foreach (var part in form)
            {
                if (part is StreamContent)
                    part.Headers.ContentType = contentType;
            }
        }

        return ValueTask.CompletedTask;
    }
}
