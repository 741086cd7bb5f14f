using System.Net.Http.Json;
using System.Text.Json;
using ClawScale.Plugins.Evolution.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Evolution;

/// <summary>
/// The HTTP seam to an Evolution API server for one instance (Evolution API v2 reference): <c>POST
/// {base_url}/message/sendText/{instance}</c> and <c>GET {base_url}/instance/connectionState/{instance}</c>, with the
/// <c>apikey</c> header. Never throws for Evolution errors, network failures or timeouts; only the caller's
/// cancellation throws. The key is never logged.
/// </summary>
public sealed class EvolutionApiClient
{
    private readonly HttpClient _http;
    private readonly EvolutionOptions _options;
    private readonly string _apiKey;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The channel's HttpClient (the kernel's outbound guard applies).</param>
    /// <param name="options">Server, instance and timeout.</param>
    /// <param name="apiKey">The <c>apikey</c> header value; never logged.</param>
    /// <param name="timeProvider">The clock for timeouts and Retry-After dates.</param>
    /// <param name="logger">Where failed calls are logged (status and Evolution's <c>error</c> only).</param>
    public EvolutionApiClient(HttpClient http, EvolutionOptions options, string apiKey, TimeProvider timeProvider, ILogger logger)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        _apiKey = apiKey;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary><c>POST /message/sendText/{instance}</c>.</summary>
    /// <param name="request">Number, text, quoted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer (201 with the sent message's key).</returns>
    public Task<EvolutionApiResult> SendTextAsync(SendTextRequest request, CancellationToken cancellationToken) =>
        CallAsync("sendText", HttpMethod.Post, "message/sendText/", JsonContent.Create(request, EvolutionJsonContext.Default.SendTextRequest), cancellationToken);

    /// <summary><c>GET /instance/connectionState/{instance}</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer (<c>instance.state</c> is <c>open</c> when connected).</returns>
    public Task<EvolutionApiResult> GetConnectionStateAsync(CancellationToken cancellationToken) =>
        CallAsync("connectionState", HttpMethod.Get, "instance/connectionState/", null, cancellationToken);

    private async Task<EvolutionApiResult> CallAsync(string api, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var url = new Uri(_options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path + Uri.EscapeDataString(_options.Instance));
            using var request = new HttpRequestMessage(method, url) { Content = content };
            request.Headers.Add("apikey", _apiKey);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            EvolutionResponse? parsed = null;
            try
            {
                parsed = body.Length == 0 ? null : JsonSerializer.Deserialize(body, EvolutionJsonContext.Default.EvolutionResponse);
            }
            catch (JsonException)
            {
            }

            var result = new EvolutionApiResult
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
            };
            if (!result.Ok)
                EvolutionLog.CallFailed(_logger, api, result.HttpStatus, parsed?.Error);
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            EvolutionLog.CallFailed(_logger, api, 0, "timed out");
            return new EvolutionApiResult { TransportError = $"Evolution API {api} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s" };
        }
        catch (HttpRequestException ex)
        {
            EvolutionLog.CallFailed(_logger, api, 0, ex.Message);
            return new EvolutionApiResult { TransportError = $"Evolution API {api}: {ex.Message}" };
        }
    }
}
