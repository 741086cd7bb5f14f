using System.Net.Http.Headers;
using System.Text.Json;
using ClawScale.Plugins.Teams.Model;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// The bot's Connector access token (Bot Framework docs "Authentication with the Bot Connector API", section
/// "Authenticate requests from your bot to the Bot Connector service", steps 1–2): a client-credentials request
/// (<c>grant_type=client_credentials</c>, <c>client_id</c> = app id, <c>client_secret</c> = app password,
/// <c>scope=https://api.botframework.com/.default</c>) to the channel's token endpoint. The token is cached until
/// 5 minutes before <c>expires_in</c> runs out (at most half its lifetime early), by the channel's clock; concurrent
/// callers share one request. <see cref="Invalidate"/> drops it (after a 401 from the Connector).
/// </summary>
public sealed class BotFrameworkTokenProvider
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly TeamsOptions _options;
    private readonly string _appPassword;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _cached;

    /// <summary>Creates the provider of one channel.</summary>
    /// <param name="http">The channel's HttpClient (outbound guard).</param>
    /// <param name="options">The channel's options (app id, token endpoint, timeout).</param>
    /// <param name="appPassword">The app password (client secret); never logged.</param>
    /// <param name="timeProvider">The clock for the cache and timeouts.</param>
    /// <param name="logger">Where failures are logged (OAuth error code only).</param>
    public BotFrameworkTokenProvider(HttpClient http, TeamsOptions options, string appPassword, TimeProvider timeProvider, ILogger logger)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(appPassword);
        _appPassword = appPassword;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>How many token requests were made (for tests and diagnostics).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    private int _requests;

    /// <summary>Drops the cached token, so the next <see cref="GetTokenAsync"/> asks for a new one.</summary>
    /// <param name="token">The token the Connector refused; a newer cached token is kept.</param>
    public void Invalidate(string token)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Token == token)
            Interlocked.CompareExchange(ref _cached, null, cached);
    }

    /// <summary>A valid token, from the cache or a new token request.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The token, or the failure: retryable (network, timeout, 429/5xx) or permanent (<c>invalid_client</c>, …).</returns>
    public async Task<TokenResult> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Fresh(Volatile.Read(ref _cached)) is { } hit)
            return TokenResult.Success(hit);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(Volatile.Read(ref _cached)) is { } again)
                return TokenResult.Success(again);
            return await RequestAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Fresh(CachedToken? cached) => cached is not null && _time.GetUtcNow() < cached.RefreshAt ? cached.Token : null;

    private async Task<TokenResult> RequestAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _options.TokenEndpoint)
            {
                Content = new FormUrlEncodedContent(
                [
                    new("grant_type", "client_credentials"),
                    new("client_id", _options.AppId),
                    new("client_secret", _appPassword),
                    new("scope", TeamsOptions.ConnectorScope),
                ]),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            TokenResponse? parsed = null;
            try
            {
                parsed = body.Length == 0 ? null : JsonSerializer.Deserialize(body, TeamsJsonContext.Default.TokenResponse);
            }
            catch (JsonException)
            {
            }

            if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(parsed?.AccessToken))
            {
                var lifetime = TimeSpan.FromSeconds(Math.Clamp(parsed.ExpiresIn ?? 3600, 60, 86_400));
                var margin = lifetime / 2 < RefreshMargin ? lifetime / 2 : RefreshMargin;
                Volatile.Write(ref _cached, new CachedToken(parsed.AccessToken, _time.GetUtcNow() + lifetime - margin));
                TeamsLog.TokenAcquired(_logger, lifetime.TotalSeconds);
                return TokenResult.Success(parsed.AccessToken);
            }

            var retryAfter = RetryAfterOf(response, _time);
            if (parsed?.Error is { Length: > 0 } error)
            {
                // RFC 6749 §5.2 error codes: the client's credentials or registration are wrong; retrying cannot help.
                var description = FirstLine(parsed.ErrorDescription);
                TeamsLog.TokenFailed(_logger, status, error);
                var text = $"the token endpoint refused the app credentials: {error}{(description is null ? string.Empty : " (" + description + ")")}; check config.app_id, credentials.app_password (the client secret's value, not its id) and, for a single-tenant bot, config.app_tenant_id";
                return status >= 500 || status == 429 ? TokenResult.Retry("token endpoint: " + error, retryAfter) : TokenResult.Permanent(text);
            }

            TeamsLog.TokenFailed(_logger, status, response.ReasonPhrase);
            var what = $"token endpoint answered HTTP {status} {response.ReasonPhrase}";
            return status >= 500 || status == 429 || status == 408 ? TokenResult.Retry(what, retryAfter) : TokenResult.Permanent(what + "; check config.token_endpoint");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TeamsLog.TokenFailed(_logger, 0, "timed out");
            return TokenResult.Retry($"token endpoint: no answer within {_options.RequestTimeout.TotalSeconds:0} s", null);
        }
        catch (HttpRequestException ex)
        {
            TeamsLog.TokenFailed(_logger, 0, ex.Message);
            return TokenResult.Retry("token endpoint: " + ex.Message, null);
        }
    }

    /// <summary>The Retry-After header of <paramref name="response"/> as a delay (seconds or an HTTP date), or null.</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static string? FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);
}
