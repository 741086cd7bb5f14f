using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ClawScale.Plugins.Shared.WeChat;

/// <summary>
/// Sends one call to a WeCom / WeChat server API with the channel's HttpClient (the kernel's outbound guard) and a
/// per-call timeout, and reads the <c>{"errcode","errmsg"}</c> envelope. Only the documented fields errcode and errmsg
/// are quoted from answers; URLs (which carry <c>access_token</c> or the secret in their query) are never reported.
/// </summary>
internal sealed class WxApiTransport
{
    private const int MaxErrMsgLength = 300;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Creates the transport.</summary>
    public WxApiTransport(HttpClient http, TimeSpan timeout, TimeProvider time)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _timeout = timeout;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Calls <paramref name="url"/>: GET when <paramref name="json"/> is null, otherwise POST of that JSON.</summary>
    /// <param name="url">The full URL (with its query).</param>
    /// <param name="json">The JSON body, or null.</param>
    /// <param name="what">The API's name for messages, for example <c>message/send</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result; never throws for HTTP, network or timeout failures.</returns>
    public async Task<WxApiResult> SendAsync(Uri url, string? json, string what, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        try
        {
            using var request = new HttpRequestMessage(json is null ? HttpMethod.Get : HttpMethod.Post, url);
            if (json is not null)
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
                _ => (TimeSpan?)null,
            };
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            JsonElement? body = null;
            try
            {
                if (bytes.Length > 0)
                {
                    using var document = JsonDocument.Parse(bytes);
                    body = document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
            }

            if (body is not { ValueKind: JsonValueKind.Object } root)
            {
                return new WxApiResult
                {
                    HttpStatus = status,
                    RetryAfter = retryAfter,
                    TransportError = $"{what} answered HTTP {status} {response.ReasonPhrase} without a JSON answer",
                };
            }

            int? errCode = root.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var c) ? c : null;
            string? errMsg = root.TryGetProperty("errmsg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() : null;
            if (errMsg is { Length: > MaxErrMsgLength })
                errMsg = errMsg[..MaxErrMsgLength];
            return new WxApiResult
            {
                HttpStatus = status,
                ErrCode = errCode,
                ErrMsg = errMsg,
                Body = root,
                RetryAfter = retryAfter,
                TransportError = status is >= 200 and < 300 ? null : $"{what} answered HTTP {status} {response.ReasonPhrase}" + (errCode is { } e ? $" (errcode {e}: {errMsg})" : string.Empty),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WxApiResult { TransportError = $"{what}: no answer within {_timeout.TotalSeconds:0.#} s" };
        }
        catch (HttpRequestException ex)
        {
            return new WxApiResult { TransportError = $"{what}: {ex.Message}" };
        }
    }
}
