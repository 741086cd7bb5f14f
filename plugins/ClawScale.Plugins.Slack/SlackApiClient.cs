using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClawScale.Plugins.Slack.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Slack;

/// <summary>
/// The HTTP seam to the Slack Web API (Slack docs "Using the Slack Web API"): <c>POST {base}/{method}</c> with
/// <c>Authorization: Bearer &lt;token&gt;</c> and a JSON body, answers parsed from the <c>{ok, error}</c> envelope.
/// Never throws for Slack errors, network failures or timeouts: those come back as a failed <see cref="SlackApiResult"/>;
/// only the caller's cancellation throws <see cref="OperationCanceledException"/>. Tokens travel only in the
/// Authorization header and are never logged.
/// </summary>
public sealed class SlackApiClient
{
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly string _botToken;
    private readonly string? _appToken;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The HttpClient (its own timeout is ignored; each call has <paramref name="requestTimeout"/>).</param>
    /// <param name="apiBaseUrl">The Web API base, for example https://slack.com/api/ (a trailing slash is added if missing).</param>
    /// <param name="botToken">The bot token, <c>xoxb-…</c>; never logged.</param>
    /// <param name="appToken">The app-level token, <c>xapp-…</c>, for Socket Mode; null in events mode.</param>
    /// <param name="requestTimeout">The timeout of each call.</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    /// <param name="logger">Where failed calls are logged (method name and Slack's error code only).</param>
    public SlackApiClient(HttpClient http, Uri apiBaseUrl, string botToken, string? appToken, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);
        _http = http;
        _baseUrl = apiBaseUrl.AbsoluteUri.EndsWith('/') ? apiBaseUrl : new Uri(apiBaseUrl.AbsoluteUri + "/");
        _botToken = botToken;
        _appToken = appToken;
        _requestTimeout = requestTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Slack "auth.test" with the bot token: who the bot is (user_id, team_id, bot_id).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer (<c>invalid_auth</c>, <c>token_revoked</c>, <c>account_inactive</c> when the token is bad).</returns>
    public Task<SlackApiResult> AuthTestAsync(CancellationToken cancellationToken) =>
        CallAsync("auth.test", _botToken, null, cancellationToken);

    /// <summary>Slack "chat.postMessage" with the bot token.</summary>
    /// <param name="request">channel, text, thread_ts, blocks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer with the new message's <c>ts</c>, or the failure (429 with Retry-After, <c>channel_not_found</c>, …).</returns>
    public Task<SlackApiResult> PostMessageAsync(PostMessageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync("chat.postMessage", _botToken, JsonContent.Create(request, SlackJsonContext.Default.PostMessageRequest), cancellationToken);
    }

    /// <summary>
    /// Slack "apps.connections.open" with the app-level token (<c>connections:write</c>): a single-use WebSocket URL
    /// for Socket Mode.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer with <c>url</c>, or the failure (<c>invalid_auth</c>, <c>not_allowed_token_type</c>, …).</returns>
    /// <exception cref="InvalidOperationException">The channel has no app token.</exception>
    public Task<SlackApiResult> OpenConnectionAsync(CancellationToken cancellationToken) =>
        CallAsync("apps.connections.open", _appToken ?? throw new InvalidOperationException("credentials.app_token is required for Socket Mode"), null, cancellationToken);

    private async Task<SlackApiResult> CallAsync(string method, string token, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var started = _time.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, method))
            {
                Content = content ?? new FormUrlEncodedContent([]),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
                _ => (TimeSpan?)null,
            };

            SlackApiResponse? envelope = null;
            try
            {
                envelope = body.Length == 0 ? null : JsonSerializer.Deserialize(body, SlackJsonContext.Default.SlackApiResponse);
            }
            catch (JsonException)
            {
            }

            if (envelope is null)
            {
                var error = status == 429 ? "ratelimited" : $"HTTP {status} {response.ReasonPhrase} with a body that is not a Slack answer";
                SlackLog.CallFailed(_logger, method, status, error);
                return new SlackApiResult { HttpStatus = status, Error = error, RetryAfter = retryAfter };
            }

            if (envelope.Ok)
            {
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
                    SlackLog.CallSucceeded(_logger, method, elapsedMs);
                }
                return new SlackApiResult { Response = envelope, HttpStatus = status };
            }

            var code = envelope.Error ?? $"HTTP {status}";
            SlackLog.CallFailed(_logger, method, status, code);
            return new SlackApiResult { Response = envelope, HttpStatus = status, Error = code, RetryAfter = retryAfter };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            SlackLog.CallFailed(_logger, method, 0, "timed out");
            return new SlackApiResult { Error = $"{method}: no answer within {_requestTimeout.TotalSeconds:0.#} s" };
        }
        catch (HttpRequestException ex)
        {
            SlackLog.CallFailed(_logger, method, 0, ex.Message);
            return new SlackApiResult { Error = $"{method}: {ex.Message}" };
        }
    }
}
