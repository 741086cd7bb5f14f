using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Webhook.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Webhook;

/// <summary>
/// The HTTP seam to the integrated system: POSTs a <see cref="CallbackPayload"/> to <c>callback_url</c>, signed with
/// <see cref="WebhookSignature"/> at the current time and carrying an <c>Idempotency-Key</c> header. Never throws for
/// HTTP errors, network failures or timeouts (those come back as a <see cref="WebhookCallbackResponse"/>, status 0
/// for no answer); only the caller's cancellation throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class WebhookApiClient
{
    /// <summary>The header carrying the delivery's idempotency key (draft-ietf-httpapi-idempotency-key-header).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxBodyChars = 64 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _callbackUrl;
    private readonly string _secret;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The HttpClient (its own timeout is ignored; each call has <paramref name="timeout"/>).</param>
    /// <param name="callbackUrl">Where to POST.</param>
    /// <param name="signingSecret">The secret the signature is keyed with; never logged.</param>
    /// <param name="timeout">The timeout of one POST.</param>
    /// <param name="timeProvider">The clock for signatures and timeouts.</param>
    /// <param name="logger">Where failures are logged (never the secret or signature).</param>
    public WebhookApiClient(HttpClient http, Uri callbackUrl, string signingSecret, TimeSpan timeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(callbackUrl);
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        _http = http;
        _callbackUrl = callbackUrl;
        _secret = signingSecret;
        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>POSTs <paramref name="payload"/> as JSON with the signature and idempotency headers.</summary>
    /// <param name="payload">The body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, or status 0 with <see cref="WebhookCallbackResponse.TransportError"/>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<WebhookCallbackResponse> PostAsync(CallbackPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, WebhookJsonContext.Default.CallbackPayload);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();

        using var timeoutCts = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var started = _time.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, _callbackUrl) { Content = content };
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_secret, timestamp, body));
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, payload.IdempotencyKey);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ClawScale-Webhook", "1"));

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var text = await ReadBodyAsync(response.Content, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
                WebhookLog.CallbackAnswered(_logger, payload.DeliveryId, status, elapsedMs);
            }

            return new WebhookCallbackResponse
            {
                StatusCode = status,
                ReasonPhrase = response.ReasonPhrase,
                Body = text,
                RetryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"no answer within {_timeout.TotalSeconds:0.#} s (config.timeout_seconds)";
            WebhookLog.CallbackFailed(_logger, payload.DeliveryId, error);
            return new WebhookCallbackResponse { StatusCode = 0, TransportError = error };
        }
        catch (HttpRequestException ex)
        {
            WebhookLog.CallbackFailed(_logger, payload.DeliveryId, ex.Message);
            return new WebhookCallbackResponse { StatusCode = 0, TransportError = ex.Message };
        }
    }

    private static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxBodyChars];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                total += read;
            return new string(buffer, 0, total);
        }
    }
}
