using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClawScale.Plugins.Line.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Line;

/// <summary>
/// The HTTP seam to the LINE Messaging API (reference "Messaging API"): reply, push (with <c>X-Line-Retry-Key</c>) and
/// bot info, with <c>Authorization: Bearer &lt;channel access token&gt;</c>. Never throws for LINE errors, network
/// failures or timeouts; only the caller's cancellation throws. The token is never logged.
/// </summary>
public sealed class LineApiClient
{
    /// <summary>The idempotency header of the push API (reference "Retry failed API requests").</summary>
    public const string RetryKeyHeader = "X-Line-Retry-Key";

    private readonly HttpClient _http;
    private readonly LineOptions _options;
    private readonly string _accessToken;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The channel's HttpClient (the kernel's outbound guard applies).</param>
    /// <param name="options">Base URL and timeout.</param>
    /// <param name="accessToken">The channel access token; never logged.</param>
    /// <param name="timeProvider">The clock for timeouts and Retry-After dates.</param>
    /// <param name="logger">Where failed calls are logged (status and LINE's <c>message</c> only).</param>
    public LineApiClient(HttpClient http, LineOptions options, string accessToken, TimeProvider timeProvider, ILogger logger)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        _accessToken = accessToken;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary><c>POST /v2/bot/message/reply</c>.</summary>
    /// <param name="request">Reply token and messages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer (400 <c>Invalid reply token</c> when it expired or was used).</returns>
    public Task<LineApiResult> ReplyAsync(LineReplyRequest request, CancellationToken cancellationToken) =>
        CallAsync("reply", HttpMethod.Post, "v2/bot/message/reply", JsonContent.Create(request, LineJsonContext.Default.LineReplyRequest), null, cancellationToken);

    /// <summary><c>POST /v2/bot/message/push</c> with <c>X-Line-Retry-Key</c>.</summary>
    /// <param name="request">Target and messages.</param>
    /// <param name="retryKey">The idempotency key (a UUID); the same on every retry of this request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer (409 with <c>x-line-accepted-request-id</c> when the key was already accepted).</returns>
    public Task<LineApiResult> PushAsync(LinePushRequest request, Guid retryKey, CancellationToken cancellationToken) =>
        CallAsync("push", HttpMethod.Post, "v2/bot/message/push", JsonContent.Create(request, LineJsonContext.Default.LinePushRequest), retryKey, cancellationToken);

    /// <summary><c>GET /v2/bot/info</c>: the bot's user id and display name; checks the token.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    public Task<LineApiResult> GetBotInfoAsync(CancellationToken cancellationToken) =>
        CallAsync("bot info", HttpMethod.Get, "v2/bot/info", null, null, cancellationToken);

    private async Task<LineApiResult> CallAsync(string api, HttpMethod method, string path, HttpContent? content, Guid? retryKey, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(_options.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path)) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
            if (retryKey is { } key)
                request.Headers.Add(RetryKeyHeader, key.ToString("D"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            LineResponse? parsed = null;
            try
            {
                parsed = body.Length == 0 ? null : JsonSerializer.Deserialize(body, LineJsonContext.Default.LineResponse);
            }
            catch (JsonException)
            {
            }

            var result = new LineApiResult
            {
                HttpStatus = (int)response.StatusCode,
                ReasonPhrase = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? null : new string(response.ReasonPhrase.Where(c => !char.IsControl(c)).Take(60).ToArray()),
                Response = parsed,
                RetryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
                    _ => null,
                },
                AcceptedRequestId = response.Headers.TryGetValues("x-line-accepted-request-id", out var ids) ? ids.FirstOrDefault() : null,
            };
            if (!result.Ok)
                LineLog.CallFailed(_logger, api, result.HttpStatus, parsed?.Message);
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LineLog.CallFailed(_logger, api, 0, "timed out");
            return new LineApiResult { TransportError = $"LINE {api} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s" };
        }
        catch (HttpRequestException ex)
        {
            LineLog.CallFailed(_logger, api, 0, ex.Message);
            return new LineApiResult { TransportError = $"LINE {api}: {ex.Message}" };
        }
    }
}
