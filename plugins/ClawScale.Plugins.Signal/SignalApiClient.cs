using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClawScale.Plugins.Signal.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Signal;

/// <summary>
/// The HTTP seam to signal-cli-rest-api (swagger: https://bbernhard.github.io/signal-cli-rest-api/). Never throws for
/// API errors, network failures or timeouts: those come back as a failed <see cref="SignalApiResult{T}"/>; only the
/// caller's cancellation throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class SignalApiClient
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string? _token;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The channel's HttpClient (its own timeout is ignored).</param>
    /// <param name="apiBaseUrl">The REST API base, for example http://signal-api:8080.</param>
    /// <param name="apiToken">A bearer token for an authenticating proxy, or null; never logged.</param>
    /// <param name="requestTimeout">The timeout of each call (a receive call gets its wait on top).</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    /// <param name="logger">Where calls are logged (route template only).</param>
    public SignalApiClient(HttpClient http, Uri apiBaseUrl, string? apiToken, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        _http = http;
        _baseUrl = apiBaseUrl.AbsoluteUri.TrimEnd('/');
        _token = apiToken;
        _requestTimeout = requestTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The base URL, without a trailing slash.</summary>
    public string BaseUrl => _baseUrl;

    /// <summary>The bearer token for the WebSocket handshake, or null.</summary>
    internal string? Token => _token;

    /// <summary><c>GET /v1/about</c>: the server's version and <c>mode</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public Task<SignalApiResult<SignalAbout>> GetAboutAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/v1/about", "GET /v1/about", null, SignalJsonContext.Default.SignalAbout, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// <c>GET /v1/receive/{number}?timeout={seconds}</c> (normal/native mode): the messages signal-cli fetched from the
    /// Signal server within the wait, as a JSON array. signal-cli acknowledges them to the server while receiving.
    /// </summary>
    /// <param name="number">The bot's number.</param>
    /// <param name="wait">How long signal-cli waits for messages (whole seconds).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The received items, or the failure (400 with <c>error</c> when, for example, the server runs in json-rpc mode).</returns>
    public Task<SignalApiResult<IReadOnlyList<SignalReceived>>> ReceiveAsync(string number, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/v1/receive/{Uri.EscapeDataString(number)}?timeout={(int)wait.TotalSeconds}&ignore_stories=true", "GET /v1/receive/{number}", null,
            SignalJsonContext.Default.IReadOnlyListSignalReceived, wait, cancellationToken);

    /// <summary><c>POST /v2/send</c>: sends a text; 201 <c>{"timestamp": "…"}</c> on success.</summary>
    /// <param name="request">The body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result (400 with <c>error</c>, 429 with <c>challenge_tokens</c>, …).</returns>
    public Task<SignalApiResult<SignalSendResponse>> SendMessageAsync(SignalSendRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/v2/send", "POST /v2/send", JsonContent.Create(request, SignalJsonContext.Default.SignalSendRequest),
            SignalJsonContext.Default.SignalSendResponse, TimeSpan.Zero, cancellationToken);

    private async Task<SignalApiResult<T>> SendAsync<T>(HttpMethod method, string path, string route, HttpContent? content, JsonTypeInfo<T> typeInfo, TimeSpan extraWait, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout + extraWait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(method, _baseUrl + path) { Content = content };
        if (_token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        try
        {
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                try
                {
                    var value = string.IsNullOrWhiteSpace(body) ? default : JsonSerializer.Deserialize(body, typeInfo);
                    SignalLog.CallSucceeded(_logger, route, status);
                    return new SignalApiResult<T> { StatusCode = status, Value = value };
                }
                catch (JsonException ex)
                {
                    SignalLog.CallFailed(_logger, route, status, "the answer is not the documented JSON: " + ex.Message);
                    return new SignalApiResult<T> { StatusCode = 502, Error = $"{route} answered {status} with a body that is not the documented JSON ({ex.Message}); is api_base_url a signal-cli-rest-api server?" };
                }
            }

            string? error = null;
            try
            {
                error = string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize(body, SignalJsonContext.Default.SignalError)?.Error;
            }
            catch (JsonException)
            {
                // A proxy's HTML error page: only the status is quoted.
            }

            error = error?.Trim() ?? $"{status} {response.ReasonPhrase}";
            SignalLog.CallFailed(_logger, route, status, error);
            return new SignalApiResult<T> { StatusCode = status, Error = error, RetryAfter = RetryAfter(response) };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            SignalLog.CallFailed(_logger, route, 0, "timed out");
            return new SignalApiResult<T> { Error = $"{route} timed out after {(_requestTimeout + extraWait).TotalSeconds:0} s" };
        }
        catch (HttpRequestException ex)
        {
            SignalLog.CallFailed(_logger, route, 0, ex.Message);
            return new SignalApiResult<T> { Error = $"{route} failed: network error ({ex.HttpRequestError}): {ex.Message}" };
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header) return null;
        if (header.Delta is { } delta) return delta;
        if (header.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

}
