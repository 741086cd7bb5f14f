using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClawScale.Plugins.Teams.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// The HTTP seam to the Bot Connector REST API v3 (Bot Framework docs "Send and receive messages with the Bot Connector
/// API"): <c>POST {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}</c> (reply) or
/// <c>…/activities</c> (new message) with <c>Authorization: Bearer</c> and the activity as JSON. A 401 invalidates the
/// token and the call is made once more with a new one. Never throws for Connector errors, network failures or timeouts;
/// only the caller's cancellation throws <see cref="OperationCanceledException"/>. Tokens are never logged.
/// </summary>
public sealed class TeamsApiClient
{
    private readonly HttpClient _http;
    private readonly BotFrameworkTokenProvider _tokens;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The channel's HttpClient (outbound guard).</param>
    /// <param name="tokens">The bot's token provider.</param>
    /// <param name="requestTimeout">The timeout of each call.</param>
    /// <param name="timeProvider">The clock for timeouts and Retry-After dates.</param>
    /// <param name="logger">Where failed calls are logged (status and error code only).</param>
    public TeamsApiClient(HttpClient http, BotFrameworkTokenProvider tokens, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _requestTimeout = requestTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The URL of a send: the conversation's activities, or the reply to one activity.</summary>
    /// <param name="serviceUrl">The Connector's service URL (a trailing slash is added if missing).</param>
    /// <param name="conversationId">The conversation id, escaped into the path.</param>
    /// <param name="replyToId">The activity replied to, or null.</param>
    /// <returns>The absolute URL.</returns>
    public static Uri ActivitiesUrl(Uri serviceUrl, string conversationId, string? replyToId)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        var baseUrl = serviceUrl.AbsoluteUri.EndsWith('/') ? serviceUrl.AbsoluteUri : serviceUrl.AbsoluteUri + "/";
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";
        if (!string.IsNullOrEmpty(replyToId))
            path += "/" + Uri.EscapeDataString(replyToId);
        return new Uri(new Uri(baseUrl), path);
    }

    /// <summary>Sends one activity.</summary>
    /// <param name="serviceUrl">The Connector's service URL, already checked by <see cref="ServiceUrlPolicy"/>.</param>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="replyToId">The activity to reply to, or null for a new message.</param>
    /// <param name="activity">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    public async Task<TeamsApiResult> SendActivityAsync(Uri serviceUrl, string conversationId, string? replyToId, OutboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var url = ActivitiesUrl(serviceUrl, conversationId, replyToId);
        var retried = false;
        while (true)
        {
            var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            if (token.Token is null)
                return new TeamsApiResult { TokenFailure = token.Failure };

            var result = await PostAsync(url, token.Token, activity, cancellationToken).ConfigureAwait(false);
            if (result.HttpStatus == 401 && !retried)
            {
                // The token may have been revoked or rotated before its expiry: get a new one and call once more.
                _tokens.Invalidate(token.Token);
                retried = true;
                continue;
            }

            return result with { RetriedAfterUnauthorized = retried };
        }
    }

    private async Task<TeamsApiResult> PostAsync(Uri url, string token, OutboundActivity activity, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(activity, TeamsJsonContext.Default.OutboundActivity),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                ResourceResponse? created = null;
                try
                {
                    created = body.Length == 0 ? null : JsonSerializer.Deserialize(body, TeamsJsonContext.Default.ResourceResponse);
                }
                catch (JsonException)
                {
                }

                return new TeamsApiResult { HttpStatus = status, ReasonPhrase = response.ReasonPhrase, ActivityId = created?.Id };
            }

            ConnectorError? error = null;
            try
            {
                error = body.Length == 0 ? null : JsonSerializer.Deserialize(body, TeamsJsonContext.Default.ConnectorErrorResponse)?.Error;
            }
            catch (JsonException)
            {
            }

            TeamsLog.ConnectorCallFailed(_logger, status, error?.Code);
            return new TeamsApiResult
            {
                HttpStatus = status,
                ReasonPhrase = response.ReasonPhrase,
                ErrorCode = error?.Code,
                ErrorMessage = error?.Message,
                RetryAfter = BotFrameworkTokenProvider.RetryAfterOf(response, _time),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TeamsLog.ConnectorCallFailed(_logger, 0, "timed out");
            return new TeamsApiResult { TransportError = $"the Connector did not answer within {_requestTimeout.TotalSeconds:0} s" };
        }
        catch (HttpRequestException ex)
        {
            TeamsLog.ConnectorCallFailed(_logger, 0, ex.Message);
            return new TeamsApiResult { TransportError = ex.Message };
        }
    }
}
