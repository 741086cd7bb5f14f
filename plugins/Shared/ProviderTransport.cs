using System.Globalization;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Agents;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Shared;

/// <summary>
/// Sends one model request with the behaviour every LLM plugin needs: a whole-call deadline
/// (<see cref="Timeout"/>, covering both attempts, the wait between them and reading the answer), one retry after
/// HTTP 429 or 5xx (529 included) honouring <c>retry-after-ms</c> / <c>Retry-After</c> (seconds or HTTP date),
/// bounded by <see cref="MaxRetryDelay"/>, and failures mapped by <see cref="ProviderErrors"/> (which quotes only the
/// documented error fields of a body, never the body itself). Redirects are not followed by the kernel's HttpClient: a
/// 3xx is a failure naming <c>config.base_url</c>.
/// All waiting goes through <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ProviderTransport
{
    /// <summary>The longest wait before the retry, whatever Retry-After says.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the retry when the provider gives no Retry-After.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    private const int MaxErrorBodyChars = 16 * 1024;

    /// <summary>Provider name for admin messages and logs, for example <c>Anthropic API</c>.</summary>
    public required string ProviderName { get; init; }

    /// <summary>The kernel's client (infinite timeout; the deadline is ours).</summary>
    public required HttpClient HttpClient { get; init; }

    /// <summary>The clock for the deadline and the retry wait.</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The agent's logger.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The whole-call deadline (config <c>timeout_seconds</c>).</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>The API key, redacted from every message; <see langword="null"/> when none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Sends the request (built afresh per attempt) and reads the successful answer.</summary>
    /// <param name="createRequest">Builds the request; called once per attempt.</param>
    /// <param name="readAnswer">Reads a 2xx answer (headers only have been read); may throw <see cref="AgentException"/>.</param>
    /// <param name="cancellationToken">The kernel's token; its cancellation propagates as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="AgentException">Any provider failure, timeout or unreadable answer.</exception>
    public async Task<ProviderAnswer> SendAsync(
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<ProviderAnswer>> readAnswer,
        CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(Timeout, TimeProvider);
        using var linkedCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var token = linkedCts.Token;
        Uri? endpoint = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                using var request = createRequest();
                endpoint = request.RequestUri;
                using var response = await HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return await readAnswer(response, token).ConfigureAwait(false);
                }

                var status = (int)response.StatusCode;
                var body = await ReadErrorBodyAsync(response, token).ConfigureAwait(false);
                if (attempt == 1 && (status == 429 || status >= 500))
                {
                    var delay = RetryDelay(response);
                    SharedLog.RetryingAfterError(Logger, ProviderName, status, (long)delay.TotalMilliseconds);
                    await Task.Delay(delay, TimeProvider, token).ConfigureAwait(false);
                    continue;
                }

                var failure = ProviderErrors.FromResponse(ProviderName, endpoint, status, response.ReasonPhrase, body, ApiKey);
                SharedLog.ProviderFailed(Logger, ProviderName, failure.Message);
                throw failure;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException
            && timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var failure = ProviderErrors.Timeout(ProviderName, Timeout, ex);
            SharedLog.ProviderFailed(Logger, ProviderName, failure.Message);
            throw failure;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var failure = ProviderErrors.Unreachable(ProviderName, endpoint, ex, ApiKey);
            SharedLog.ProviderFailed(Logger, ProviderName, failure.Message);
            throw failure;
        }
        catch (JsonException ex)
        {
            var failure = ProviderErrors.BadResponse(ProviderName, $"invalid JSON ({ex.Message})", ex);
            SharedLog.ProviderFailed(Logger, ProviderName, failure.Message);
            throw failure;
        }
    }

    /// <summary>The wait before the retry: <c>retry-after-ms</c>, else <c>Retry-After</c>, else 1 s; at most 30 s.</summary>
    public TimeSpan RetryDelay(HttpResponseMessage response)
    {
        TimeSpan? delay = null;
        if (response.Headers.TryGetValues("retry-after-ms", out var msValues)
            && double.TryParse(msValues.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
        {
            delay = TimeSpan.FromMilliseconds(ms);
        }
        else if (response.Headers.RetryAfter is { } retryAfter)
        {
            delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - TimeProvider.GetUtcNow() : null);
        }

        var value = delay ?? DefaultRetryDelay;
        return value < TimeSpan.Zero ? TimeSpan.Zero : value > MaxRetryDelay ? MaxRetryDelay : value;
    }

    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxErrorBodyChars];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }
}
