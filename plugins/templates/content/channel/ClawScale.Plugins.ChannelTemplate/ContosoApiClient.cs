using System.Net.Http.Headers;
using System.Text.Json;
using ClawScale.Plugins.ChannelTemplate.Model;

namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>
/// The seam to the platform's HTTP API: every call the plugin makes goes through here, so tests replace the
/// <see cref="HttpClient"/>'s handler with a fake that answers in the platform's documented shape. Never throws for
/// HTTP errors, network failures or timeouts (they come back as a <see cref="ContosoApiResult"/>); only the caller's
/// cancellation throws <see cref="OperationCanceledException"/>.
/// </summary>
/// <param name="http">The kernel's HttpClient (do not dispose it; its own timeout is infinite).</param>
/// <param name="options">The channel's settings (base URL, token, timeout).</param>
/// <param name="timeProvider">The clock for timeouts.</param>
public sealed class ContosoApiClient(HttpClient http, ContosoOptions options, TimeProvider timeProvider)
{
    private const int MaxBodyChars = 64 * 1024;

    /// <summary><c>POST {api_base_url}/messages</c> with <paramref name="request"/> as JSON and the bearer token.</summary>
    /// <param name="request">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, or status 0 with <see cref="ContosoApiResult.TransportError"/>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ContosoApiResult> SendMessageAsync(ContosoSendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ContosoJsonContext.Default.ContosoSendRequest);
        using var timeout = new CancellationTokenSource(options.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(options.ApiBaseUrl, "messages")) { Content = content };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiToken);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            return new ContosoApiResult
            {
                StatusCode = (int)response.StatusCode,
                Body = text.Length > MaxBodyChars ? text[..MaxBodyChars] : text,
                RetryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ContosoApiResult { StatusCode = 0, TransportError = $"no answer within {options.Timeout.TotalSeconds:0} s (config.timeout_seconds)" };
        }
        catch (HttpRequestException e)
        {
            return new ContosoApiResult { StatusCode = 0, TransportError = e.Message };
        }
    }
}
