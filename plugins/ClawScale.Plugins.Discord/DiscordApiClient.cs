using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClawScale.Plugins.Discord.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// The HTTP seam to Discord's REST API v10 ("Reference" → "Authentication": <c>Authorization: Bot &lt;token&gt;</c>).
/// Never throws for API errors, network failures or timeouts: those come back as a failed
/// <see cref="DiscordApiResult{T}"/>; only the caller's cancellation throws <see cref="OperationCanceledException"/>.
/// Interaction webhook URLs contain the interaction token, so URLs are never logged.
/// </summary>
public sealed class DiscordApiClient
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string _token;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The HttpClient (its own timeout is ignored; each call has <paramref name="requestTimeout"/>).</param>
    /// <param name="apiBaseUrl">The REST base, for example https://discord.com/api/v10.</param>
    /// <param name="botToken">The bot token; never logged.</param>
    /// <param name="requestTimeout">The timeout of each call.</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    /// <param name="logger">Where calls are logged (route template only).</param>
    public DiscordApiClient(HttpClient http, Uri apiBaseUrl, string botToken, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
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

    /// <summary>"Get Current User" (<c>GET /users/@me</c>): the bot's own user; 401 when the token is rejected.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public Task<DiscordApiResult<DiscordUser>> GetCurrentUserAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/users/@me", "GET /users/@me", null, DiscordJsonContext.Default.DiscordUser, authorize: true, cancellationToken);

    /// <summary>"Get Gateway Bot" (<c>GET /gateway/bot</c>): the Gateway URL to connect to.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public Task<DiscordApiResult<GatewayBot>> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/gateway/bot", "GET /gateway/bot", null, DiscordJsonContext.Default.GatewayBot, authorize: true, cancellationToken);

    /// <summary>"Create Message" (<c>POST /channels/{channel.id}/messages</c>).</summary>
    /// <param name="channelId">The channel or thread id.</param>
    /// <param name="request">The content, nonce, reply reference and allowed mentions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created message, or the failure.</returns>
    public Task<DiscordApiResult<DiscordMessage>> CreateMessageAsync(string channelId, CreateMessageRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/channels/{Uri.EscapeDataString(channelId)}/messages", "POST /channels/{id}/messages",
            JsonContent.Create(request, DiscordJsonContext.Default.CreateMessageRequest), DiscordJsonContext.Default.DiscordMessage, authorize: true, cancellationToken);

    /// <summary>
    /// "Edit Original Interaction Response" (<c>PATCH /webhooks/{application.id}/{interaction.token}/messages/@original</c>):
    /// replaces the deferred "thinking…" response. Interaction webhooks are not authorized with the bot token.
    /// </summary>
    /// <param name="applicationId">The application id.</param>
    /// <param name="interactionToken">The interaction token (secret, valid 15 minutes).</param>
    /// <param name="request">The content and allowed mentions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The edited message, or the failure (404 Unknown Webhook / 401 Invalid Webhook Token when expired).</returns>
    public Task<DiscordApiResult<DiscordMessage>> EditOriginalInteractionResponseAsync(string applicationId, string interactionToken, CreateMessageRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"/webhooks/{Uri.EscapeDataString(applicationId)}/{Uri.EscapeDataString(interactionToken)}/messages/@original",
            "PATCH /webhooks/{app}/{token}/messages/@original",
            JsonContent.Create(request, DiscordJsonContext.Default.CreateMessageRequest), DiscordJsonContext.Default.DiscordMessage, authorize: false, cancellationToken);

    /// <summary>"Create Followup Message" (<c>POST /webhooks/{application.id}/{interaction.token}</c>).</summary>
    /// <param name="applicationId">The application id.</param>
    /// <param name="interactionToken">The interaction token (secret, valid 15 minutes).</param>
    /// <param name="request">The content and allowed mentions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created message, or the failure.</returns>
    public Task<DiscordApiResult<DiscordMessage>> CreateFollowupMessageAsync(string applicationId, string interactionToken, CreateMessageRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/webhooks/{Uri.EscapeDataString(applicationId)}/{Uri.EscapeDataString(interactionToken)}?wait=true",
            "POST /webhooks/{app}/{token}",
            JsonContent.Create(request, DiscordJsonContext.Default.CreateMessageRequest), DiscordJsonContext.Default.DiscordMessage, authorize: false, cancellationToken);

    private async Task<DiscordApiResult<T>> SendAsync<T>(HttpMethod method, string path, string route, HttpContent? content, JsonTypeInfo<T> typeInfo, bool authorize, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(method, _baseUrl + path) { Content = content };
        if (authorize)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _token);
        request.Headers.UserAgent.ParseAdd("DiscordBot (https://github.com/clawscale, 1.0)");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            DiscordLog.CallFailed(_logger, route, 0, null, "timed out");
            return new DiscordApiResult<T> { IsTransportFailure = true, Description = $"{route} timed out after {_requestTimeout.TotalSeconds:0} s" };
        }
        catch (HttpRequestException ex)
        {
            DiscordLog.CallFailed(_logger, route, 0, null, ex.Message);
            // The message names the failure and host:port only (never the URL, which may hold an interaction token),
            // including the kernel's network guard refusing the address.
            return new DiscordApiResult<T> { IsTransportFailure = true, Description = $"{route} failed: network error ({ex.HttpRequestError}): {ex.Message}" };
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return new DiscordApiResult<T> { IsTransportFailure = true, StatusCode = 0, Description = $"{route}: the answer was cut off" };
            }

            var remaining = Header(response, "X-RateLimit-Remaining") is { } r && int.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rv) ? rv : (int?)null;
            var resetAfter = Seconds(Header(response, "X-RateLimit-Reset-After"));
            var bucket = Header(response, "X-RateLimit-Bucket");
            if (status is >= 200 and < 300)
            {
                T? value = default;
                if (!string.IsNullOrWhiteSpace(body))
                {
                    try
                    {
                        value = JsonSerializer.Deserialize(body, typeInfo);
                    }
                    catch (JsonException)
                    {
                    }
                }

                DiscordLog.CallSucceeded(_logger, route, status);
                return new DiscordApiResult<T> { StatusCode = status, Value = value, RateLimitRemaining = remaining, RateLimitResetAfter = resetAfter, RateLimitBucket = bucket };
            }

            DiscordError? error = null;
            try
            {
                error = string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize(body, DiscordJsonContext.Default.DiscordError);
            }
            catch (JsonException)
            {
            }

            TimeSpan? retryAfter = null;
            var global = false;
            if (status == 429)
            {
                retryAfter = error?.RetryAfter is { } seconds && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : Seconds(Header(response, "Retry-After"));
                global = error?.Global == true || string.Equals(Header(response, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
            }

            var description = error?.Message ?? response.ReasonPhrase ?? "error";
            DiscordLog.CallFailed(_logger, route, status, error?.Code, description);
            return new DiscordApiResult<T>
            {
                StatusCode = status,
                ErrorCode = error?.Code,
                Description = description,
                RetryAfter = retryAfter,
                IsGlobal = global,
                RateLimitRemaining = remaining,
                RateLimitResetAfter = resetAfter,
                RateLimitBucket = bucket,
            };
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan? Seconds(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 ? TimeSpan.FromSeconds(s) : null;
}
