using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClawScale.Plugins.WhatsApp.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>
/// The HTTP seam to the Graph API for one business phone number (WhatsApp Cloud API docs "Messages"):
/// <c>POST {graph_base_url}/{version}/{phone_number_id}/messages</c> and <c>GET …/{phone_number_id}</c> with
/// <c>Authorization: Bearer &lt;access token&gt;</c>. Never throws for Graph errors, network failures or timeouts (they
/// come back in <see cref="WhatsAppApiResult"/>); only the caller's cancellation throws. The token is never logged.
/// </summary>
public sealed class WhatsAppApiClient
{
    private readonly HttpClient _http;
    private readonly WhatsAppOptions _options;
    private readonly string _accessToken;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The channel's HttpClient (the kernel's outbound guard applies).</param>
    /// <param name="options">Base URL, version, phone number id, timeout.</param>
    /// <param name="accessToken">The access token; never logged.</param>
    /// <param name="timeProvider">The clock for timeouts and Retry-After dates.</param>
    /// <param name="logger">Where failed calls are logged (status and Graph error code only).</param>
    public WhatsAppApiClient(HttpClient http, WhatsAppOptions options, string accessToken, TimeProvider timeProvider, ILogger logger)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        _accessToken = accessToken;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The URL messages are posted to.</summary>
    public Uri MessagesUrl => new($"{_options.GraphBaseUrl.AbsoluteUri.TrimEnd('/')}/{_options.GraphApiVersion}/{_options.PhoneNumberId}/messages");

    /// <summary>Sends one message.</summary>
    /// <param name="request">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    public Task<WhatsAppApiResult> SendAsync(SendMessageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(HttpMethod.Post, MessagesUrl, JsonContent.Create(request, WhatsAppJsonContext.Default.SendMessageRequest), cancellationToken);
    }

    /// <summary>Reads the business phone number (<c>GET /{version}/{phone_number_id}</c>): checks the token and the id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer (with <c>display_phone_number</c>).</returns>
    public Task<WhatsAppApiResult> GetPhoneNumberAsync(CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, new Uri($"{_options.GraphBaseUrl.AbsoluteUri.TrimEnd('/')}/{_options.GraphApiVersion}/{_options.PhoneNumberId}"), null, cancellationToken);

    private async Task<WhatsAppApiResult> CallAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(method, url) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            GraphResponse? parsed = null;
            try
            {
                parsed = body.Length == 0 ? null : JsonSerializer.Deserialize(body, WhatsAppJsonContext.Default.GraphResponse);
            }
            catch (JsonException)
            {
            }

            var result = new WhatsAppApiResult
            {
                HttpStatus = (int)response.StatusCode,
                ReasonPhrase = Printable(response.ReasonPhrase),
                Response = parsed,
                RetryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
                    _ => null,
                },
            };
            if (!result.Ok)
                WhatsAppLog.CallFailed(_logger, method.Method, result.HttpStatus, parsed?.Error?.Code);
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            WhatsAppLog.CallFailed(_logger, method.Method, 0, null);
            return new WhatsAppApiResult { TransportError = $"the Graph API did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s" };
        }
        catch (HttpRequestException ex)
        {
            WhatsAppLog.CallFailed(_logger, method.Method, 0, null);
            return new WhatsAppApiResult { TransportError = ex.Message };
        }
    }

    private static string? Printable(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : new string(text.Where(c => !char.IsControl(c)).Take(60).ToArray()).Trim();
}
