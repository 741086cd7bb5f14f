using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClawScale.Plugins.Telegram.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Telegram;

/// <summary>
/// The HTTP seam to the Bot API ("Making requests"): <c>POST {base}/bot&lt;token&gt;/&lt;method&gt;</c> with a JSON body
/// (multipart/form-data for uploads), answers parsed from the <c>{ok, result, error_code, description, parameters}</c>
/// envelope. Never throws for Bot API errors, network failures or timeouts: those come back as a failed
/// <see cref="TelegramApiResult{T}"/>; only the caller's cancellation throws <see cref="OperationCanceledException"/>.
/// The token is part of every URL, so URLs are never logged and error texts are redacted.
/// </summary>
public sealed class TelegramApiClient
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string _token;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The HttpClient (its own timeout is ignored; each call has <paramref name="requestTimeout"/>).</param>
    /// <param name="apiBaseUrl">The Bot API server, for example https://api.telegram.org.</param>
    /// <param name="botToken">The bot token; never logged.</param>
    /// <param name="requestTimeout">The timeout of each call other than getUpdates.</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    /// <param name="logger">Where failed calls are logged (method name only, never the URL).</param>
    public TelegramApiClient(HttpClient http, Uri apiBaseUrl, string botToken, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);
        _http = http;
        _baseUrl = apiBaseUrl.AbsoluteUri.TrimEnd('/');
        _token = botToken;
        _requestTimeout = requestTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Bot API "getMe": the bot's own user (id, username).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bot, or the failure (401 when the token is rejected).</returns>
    public Task<TelegramApiResult<User>> GetMeAsync(CancellationToken cancellationToken) =>
        CallAsync("getMe", null, TelegramJsonContext.Default.ApiResponseUser, _requestTimeout, cancellationToken);

    /// <summary>Bot API "setWebhook": Telegram POSTs updates to <see cref="SetWebhookRequest.Url"/> from now on.</summary>
    /// <param name="request">URL, secret_token, allowed_updates, drop_pending_updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True on success, or the failure (400 for a bad URL or secret_token).</returns>
    public Task<TelegramApiResult<bool>> SetWebhookAsync(SetWebhookRequest request, CancellationToken cancellationToken) =>
        CallAsync("setWebhook", JsonContent.Create(request, TelegramJsonContext.Default.SetWebhookRequest), TelegramJsonContext.Default.ApiResponseBoolean, _requestTimeout, cancellationToken);

    /// <summary>Bot API "deleteWebhook": stops webhook delivery so that getUpdates works.</summary>
    /// <param name="dropPendingUpdates">Whether to drop pending updates (the plugin passes false).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True on success, or the failure.</returns>
    public Task<TelegramApiResult<bool>> DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync("deleteWebhook", JsonContent.Create(new DeleteWebhookRequest { DropPendingUpdates = dropPendingUpdates }, TelegramJsonContext.Default.DeleteWebhookRequest), TelegramJsonContext.Default.ApiResponseBoolean, _requestTimeout, cancellationToken);

    /// <summary>
    /// Bot API "getUpdates": long-polls for updates with <c>update_id &gt;= offset</c>, confirming all older ones. The
    /// call's own timeout is the long-poll timeout plus 10 s.
    /// </summary>
    /// <param name="request">Offset, long-poll timeout (seconds), allowed_updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updates (possibly none), or the failure (401 token rejected, 409 webhook active or another poller).</returns>
    public Task<TelegramApiResult<IReadOnlyList<Update>>> GetUpdatesAsync(GetUpdatesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync("getUpdates", JsonContent.Create(request, TelegramJsonContext.Default.GetUpdatesRequest), TelegramJsonContext.Default.ApiResponseIReadOnlyListUpdate,
            TimeSpan.FromSeconds(request.Timeout + 10), cancellationToken);
    }

    /// <summary>Bot API "sendMessage" (plain text).</summary>
    /// <param name="request">chat_id, text (≤ 4096), message_thread_id, reply_parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sent message, or the failure (429 flood control, 400 chat not found, 403 blocked, …).</returns>
    public Task<TelegramApiResult<Message>> SendMessageAsync(SendMessageRequest request, CancellationToken cancellationToken) =>
        CallAsync("sendMessage", JsonContent.Create(request, TelegramJsonContext.Default.SendMessageRequest), TelegramJsonContext.Default.ApiResponseMessage, _requestTimeout, cancellationToken);

    /// <summary>
    /// Bot API "sendPhoto" or "sendDocument": by URL or file_id (a string field), or as a multipart/form-data upload
    /// when <see cref="SendFileRequest.Content"/> is set ("Sending files": photos ≤ 10 MB, other files ≤ 50 MB).
    /// </summary>
    /// <param name="request">The file and its caption and route.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sent message, or the failure.</returns>
    public Task<TelegramApiResult<Message>> SendFileAsync(SendFileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(request.ChatId), "chat_id");
        if (request.MessageThreadId is { } thread)
            form.Add(new StringContent(thread.ToString(System.Globalization.CultureInfo.InvariantCulture)), "message_thread_id");
        if (request.Caption is { Length: > 0 } caption)
            form.Add(new StringContent(caption), "caption");
        if (request.ReplyParameters is { } reply)
            form.Add(new StringContent(JsonSerializer.Serialize(reply, TelegramJsonContext.Default.ReplyParameters)), "reply_parameters");
        if (request.Content is { } content)
        {
            var file = new ReadOnlyMemoryContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(request.MimeType ?? "application/octet-stream");
            form.Add(file, request.FileField, request.FileName ?? (request.IsPhoto ? "photo.jpg" : "file"));
        }
        else
        {
            form.Add(new StringContent(request.FileReference ?? string.Empty), request.FileField);
        }
        return CallAsync(request.Method, form, TelegramJsonContext.Default.ApiResponseMessage, _requestTimeout, cancellationToken);
    }

    /// <summary>Bot API "getFile": prepares a file for download (up to 20 MB); see <see cref="BuildFileUri"/>.</summary>
    /// <param name="fileId">The file_id of an inbound photo or document.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The file with its file_path, or the failure.</returns>
    public Task<TelegramApiResult<TelegramFile>> GetFileAsync(string fileId, CancellationToken cancellationToken) =>
        CallAsync("getFile", JsonContent.Create(new GetFileRequest { FileId = fileId }, TelegramJsonContext.Default.GetFileRequest), TelegramJsonContext.Default.ApiResponseTelegramFile, _requestTimeout, cancellationToken);

    /// <summary>
    /// The download URL of a file: <c>{base}/file/bot&lt;token&gt;/&lt;file_path&gt;</c>, valid for at least an hour. It
    /// CONTAINS THE BOT TOKEN: fetch it, never store, show or log it.
    /// </summary>
    /// <param name="filePath">The file_path from <see cref="GetFileAsync"/>.</param>
    /// <returns>The URL.</returns>
    public Uri BuildFileUri(string filePath) => new($"{_baseUrl}/file/bot{_token}/{filePath.TrimStart('/')}");

    /// <summary>Replaces the bot token in <paramref name="text"/> with <c>&lt;token&gt;</c>.</summary>
    /// <param name="text">Any text that might contain a URL.</param>
    /// <returns>The redacted text.</returns>
    public string Redact(string text) => string.IsNullOrEmpty(text) ? text : text.Replace(_token, "<token>", StringComparison.Ordinal);

    private async Task<TelegramApiResult<T>> CallAsync<T>(string method, HttpContent? content, JsonTypeInfo<ApiResponse<T>> typeInfo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var started = _time.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{_baseUrl}/bot{_token}/{method}") { Content = content };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            ApiResponse<T>? envelope = null;
            try
            {
                envelope = JsonSerializer.Deserialize(body, typeInfo);
            }
            catch (JsonException)
            {
            }

            if (envelope is null)
            {
                var status = (int)response.StatusCode;
                TelegramLog.CallFailed(_logger, method, status, "answer is not a Bot API envelope");
                return TelegramApiResult<T>.Transport(status, $"{method}: HTTP {status} {response.ReasonPhrase} with a body that is not a Bot API answer");
            }

            if (envelope.Ok)
            {
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
                    TelegramLog.CallSucceeded(_logger, method, elapsedMs);
                }
                return TelegramApiResult<T>.Success(envelope.Result!);
            }

            var code = envelope.ErrorCode ?? (int)response.StatusCode;
            var description = Redact(envelope.Description ?? $"HTTP {(int)response.StatusCode}");
            TelegramLog.CallFailed(_logger, method, code, description);
            return new TelegramApiResult<T>
            {
                ErrorCode = code,
                Description = description,
                RetryAfter = envelope.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                MigrateToChatId = envelope.Parameters?.MigrateToChatId,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TelegramLog.CallFailed(_logger, method, 0, "timed out");
            return TelegramApiResult<T>.Transport(0, $"{method}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            var message = Redact(ex.Message);
            TelegramLog.CallFailed(_logger, method, 0, message);
            return TelegramApiResult<T>.Transport(0, $"{method}: {message}");
        }
        finally
        {
            content?.Dispose();
        }
    }
}
