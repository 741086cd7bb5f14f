using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ClawScale.Plugins.Matrix.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Matrix;

/// <summary>
/// The HTTP seam to a homeserver's client-server API v3 (https://spec.matrix.org/v1.11/client-server-api/). Never
/// throws for API errors, network failures or timeouts; only the caller's cancellation throws.
/// </summary>
public sealed class MatrixApiClient
{
    /// <summary>The sync filter: only <c>m.room.message</c> timeline events, no presence or account data, lazy members.</summary>
    public const string SyncFilter = """{"room":{"timeline":{"types":["m.room.message"]},"state":{"lazy_load_members":true},"ephemeral":{"types":[]},"account_data":{"types":[]}},"presence":{"types":[]},"account_data":{"types":[]}}""";

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string _token;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The channel's HttpClient.</param>
    /// <param name="homeserverUrl">The homeserver base URL.</param>
    /// <param name="accessToken">The access token; never logged.</param>
    /// <param name="requestTimeout">The timeout of each call (a sync gets its wait on top).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where calls are logged (route template only).</param>
    public MatrixApiClient(HttpClient http, Uri homeserverUrl, string accessToken, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(homeserverUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        _http = http;
        _baseUrl = homeserverUrl.AbsoluteUri.TrimEnd('/');
        _token = accessToken;
        _requestTimeout = requestTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The homeserver base URL without a trailing slash.</summary>
    public string BaseUrl => _baseUrl;

    /// <summary><c>GET /account/whoami</c>: the token's user id (401 <c>M_UNKNOWN_TOKEN</c> when the token is bad).</summary>
    public Task<MatrixApiResult<MatrixWhoAmI>> WhoAmIAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", "GET /account/whoami", null, MatrixJsonContext.Default.MatrixWhoAmI, TimeSpan.Zero, cancellationToken);

    /// <summary><c>GET /profile/{userId}/displayname</c>.</summary>
    public Task<MatrixApiResult<MatrixProfile>> GetDisplayNameAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/_matrix/client/v3/profile/{Uri.EscapeDataString(userId)}/displayname", "GET /profile/{userId}/displayname", null, MatrixJsonContext.Default.MatrixProfile, TimeSpan.Zero, cancellationToken);

    /// <summary><c>GET /sync?since=…&amp;timeout=…&amp;filter=…</c>: events after <paramref name="since"/> (all current state when null).</summary>
    /// <param name="since">The previous <c>next_batch</c>, or null for an initial sync.</param>
    /// <param name="timeout">How long the homeserver may wait for events.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public Task<MatrixApiResult<MatrixSyncResponse>> SyncAsync(string? since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var query = $"?timeout={(long)timeout.TotalMilliseconds}&filter={Uri.EscapeDataString(SyncFilter)}" + (since is null ? string.Empty : "&since=" + Uri.EscapeDataString(since));
        return SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync" + query, "GET /sync", null, MatrixJsonContext.Default.MatrixSyncResponse, timeout, cancellationToken);
    }

    /// <summary><c>GET /rooms/{roomId}/joined_members</c>.</summary>
    public Task<MatrixApiResult<MatrixJoinedMembers>> GetJoinedMembersAsync(string roomId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/joined_members", "GET /rooms/{roomId}/joined_members", null, MatrixJsonContext.Default.MatrixJoinedMembers, TimeSpan.Zero, cancellationToken);

    /// <summary><c>POST /join/{roomIdOrAlias}</c> with an empty body.</summary>
    public Task<MatrixApiResult<JsonObject>> JoinAsync(string roomId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", "POST /join/{roomId}", JsonContent.Create(new JsonObject(), MatrixJsonContext.Default.JsonObject), MatrixJsonContext.Default.JsonObject, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// <c>PUT /rooms/{roomId}/send/m.room.message/{txnId}</c>: the homeserver makes a repeated transaction id (same
    /// access token) return the first event instead of sending again.
    /// </summary>
    public Task<MatrixApiResult<MatrixEventIdResponse>> SendMessageAsync(string roomId, string txnId, JsonObject content, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{Uri.EscapeDataString(txnId)}", "PUT /rooms/{roomId}/send/m.room.message/{txnId}",
            JsonContent.Create(content, MatrixJsonContext.Default.JsonObject), MatrixJsonContext.Default.MatrixEventIdResponse, TimeSpan.Zero, cancellationToken);

    private async Task<MatrixApiResult<T>> SendAsync<T>(HttpMethod method, string path, string route, HttpContent? content, JsonTypeInfo<T> typeInfo, TimeSpan extraWait, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout + extraWait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(method, _baseUrl + path) { Content = content };
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
                    var value = JsonSerializer.Deserialize(body, typeInfo);
                    MatrixLog.CallSucceeded(_logger, route, status);
                    return new MatrixApiResult<T> { StatusCode = status, Value = value };
                }
                catch (JsonException ex)
                {
                    MatrixLog.CallFailed(_logger, route, status, null, "not the documented JSON: " + ex.Message);
                    return new MatrixApiResult<T> { StatusCode = 502, Error = $"{route} answered {status} with a body that is not the documented JSON; is homeserver_url the client-server API?" };
                }
            }

            MatrixError? error = null;
            try
            {
                error = string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize(body, MatrixJsonContext.Default.MatrixError);
            }
            catch (JsonException)
            {
                // A proxy's HTML page: only the status is quoted.
            }

            TimeSpan? retryAfter = error?.RetryAfterMs is { } ms && ms >= 0 ? TimeSpan.FromMilliseconds(ms)
                : response.Headers.RetryAfter?.Delta;
            var text = error?.Error ?? $"{status} {response.ReasonPhrase}";
            MatrixLog.CallFailed(_logger, route, status, error?.ErrCode, text);
            return new MatrixApiResult<T> { StatusCode = status, ErrCode = error?.ErrCode, Error = text, RetryAfter = retryAfter };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            MatrixLog.CallFailed(_logger, route, 0, null, "timed out");
            return new MatrixApiResult<T> { Error = $"{route} timed out after {(_requestTimeout + extraWait).TotalSeconds:0} s" };
        }
        catch (HttpRequestException ex)
        {
            MatrixLog.CallFailed(_logger, route, 0, null, ex.Message);
            return new MatrixApiResult<T> { Error = $"{route} failed: network error ({ex.HttpRequestError}): {ex.Message}" };
        }
    }
}
