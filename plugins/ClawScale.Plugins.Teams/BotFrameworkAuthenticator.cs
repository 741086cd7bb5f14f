using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// Verifies the Bearer JWT the Bot Connector sends with every activity (Bot Framework docs "Authentication with the
/// Bot Connector API", section "Authenticate requests from the Bot Connector service to your bot", steps 2–4):
/// <list type="number">
/// <item><description>the token is in <c>Authorization: Bearer …</c>;</description></item>
/// <item><description>it is a JWT signed with a key of the OpenID metadata document's <c>jwks_uri</c>, with an algorithm of
/// its <c>id_token_signing_alg_values_supported</c> (RS256);</description></item>
/// <item><description><c>iss</c> is <c>https://api.botframework.com</c>, <c>aud</c> the bot's Microsoft App ID;</description></item>
/// <item><description><c>nbf</c>/<c>exp</c> hold at the channel's clock with 5 minutes' skew;</description></item>
/// <item><description>the signing key's <c>endorsements</c> contain the activity's <c>channelId</c> (else 403, as the spec says);</description></item>
/// <item><description>the <c>serviceurl</c> claim equals the activity's <c>serviceUrl</c> (checked by the adapter with
/// <see cref="BotFrameworkTokenCheck.ServiceUrl"/>).</description></item>
/// </list>
/// Keys come from a <see cref="ConfigurationManager{T}"/> over the channel's (guarded) HttpClient: cached, refreshed every
/// 12 hours, and fetched anew (at most every 5 minutes by the channel clock) when a token names a key it does not know.
/// </summary>
public sealed class BotFrameworkAuthenticator
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly TeamsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly HttpDocumentRetriever _retriever;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private (OpenIdConnectConfiguration Configuration, DateTimeOffset FetchedAt)? _forced;

    /// <summary>The shortest time between two metadata fetches forced by unknown keys (ConfigurationManager's default, 5 minutes).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>Creates the authenticator of one channel.</summary>
    /// <param name="http">The channel's HttpClient (the kernel's outbound guard applies to the metadata and key fetches).</param>
    /// <param name="options">The channel's options (app id, metadata URL).</param>
    /// <param name="timeProvider">The clock for token lifetimes.</param>
    /// <param name="logger">Where metadata fetch failures are logged.</param>
    public BotFrameworkAuthenticator(HttpClient http, TeamsOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        ArgumentNullException.ThrowIfNull(http);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        _retriever = new HttpDocumentRetriever(http) { RequireHttps = options.OpenIdMetadataUrl.Scheme == Uri.UriSchemeHttps };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(options.OpenIdMetadataUrl.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), _retriever);
    }

    /// <summary>
    /// Verifies the <c>Authorization</c> header of an activity POST. Does not look at the body; the caller then checks
    /// the activity's <c>serviceUrl</c> and <c>channelId</c> against <see cref="BotFrameworkTokenCheck.ServiceUrl"/> and
    /// <see cref="BotFrameworkTokenCheck.Endorsements"/>.
    /// </summary>
    /// <param name="authorization">The header value, or null when missing.</param>
    /// <param name="cancellationToken">Cancels a metadata fetch.</param>
    /// <returns>
    /// The check: valid; or 401 with the reason (missing, malformed, wrong issuer/audience, expired, bad signature); or 503
    /// when the metadata document or keys cannot be fetched (the Connector retries).
    /// </returns>
    public async Task<BotFrameworkTokenCheck> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return BotFrameworkTokenCheck.Fail(401, "no Authorization: Bearer token (the Bot Connector signs every request)");
        var token = authorization["Bearer ".Length..].Trim();
        if (!_handler.CanReadToken(token))
            return BotFrameworkTokenCheck.Fail(401, "the Authorization bearer token is not a JWT");

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or ArgumentException)
        {
            return MetadataUnavailable(ex);
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(configuration)).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key rollover: the token names a key the cached metadata does not list. Try the metadata fetched the last
            // time this happened (if it is not older than the manager's own 12-hour refresh), else fetch it anew, at most
            // once per RefreshInterval by the channel clock, so tokens with made-up key ids cannot make the plugin hammer
            // the endpoint. (ConfigurationManager.RequestRefresh would refresh in the background, too late for this token.)
            var fresh = await FreshConfigurationAsync(cancellationToken).ConfigureAwait(false);
            if (fresh.Failure is { } failure)
                return failure;
            if (fresh.Configuration is { } refreshed)
            {
                configuration = refreshed;
                result = await _handler.ValidateTokenAsync(token, Parameters(configuration)).ConfigureAwait(false);
                if (result.Exception is SecurityTokenSignatureKeyNotFoundException && fresh.Reused)
                {
                    fresh = await FreshConfigurationAsync(cancellationToken, reuse: false).ConfigureAwait(false);
                    if (fresh.Failure is { } again)
                        return again;
                    if (fresh.Configuration is { } newer && !ReferenceEquals(newer, configuration))
                    {
                        configuration = newer;
                        result = await _handler.ValidateTokenAsync(token, Parameters(configuration)).ConfigureAwait(false);
                    }
                }
            }
        }

        if (!result.IsValid)
            return BotFrameworkTokenCheck.Fail(401, Explain(result.Exception));

        var jwt = (JsonWebToken)result.SecurityToken;
        jwt.TryGetPayloadValue<string>("serviceurl", out var serviceUrl);
        return new BotFrameworkTokenCheck
        {
            IsValid = true,
            ServiceUrl = serviceUrl,
            Endorsements = EndorsementsOf(configuration, jwt),
        };
    }

    /// <summary>
    /// Metadata newer than the manager's: with <paramref name="reuse"/>, the last forced fetch while it is younger than
    /// the manager's automatic refresh interval (12 hours); otherwise a new fetch, unless the last one is
    /// younger than <see cref="RefreshInterval"/> (then that one again).
    /// </summary>
    private async Task<(OpenIdConnectConfiguration? Configuration, bool Reused, BotFrameworkTokenCheck? Failure)> FreshConfigurationAsync(CancellationToken cancellationToken, bool reuse = true)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_forced is { } last)
            {
                var age = now - last.FetchedAt;
                if (age < RefreshInterval || (reuse && age < _metadata.AutomaticRefreshInterval))
                    return (last.Configuration, true, null);
            }

            try
            {
                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_options.OpenIdMetadataUrl.AbsoluteUri, _retriever, cancellationToken).ConfigureAwait(false);
                _forced = (configuration, now);
                return (configuration, false, null);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or ArgumentException)
            {
                return (null, false, MetadataUnavailable(ex));
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private BotFrameworkTokenCheck MetadataUnavailable(Exception ex)
    {
        // The detail (which may name an internal address the outbound guard refused) goes to the log, not to the caller.
        TeamsLog.MetadataUnavailable(_logger, _options.OpenIdMetadataUrl.GetLeftPart(UriPartial.Path), Describe(ex));
        return BotFrameworkTokenCheck.Fail(503, "the Bot Connector's OpenID metadata or signing keys could not be fetched (config.openid_metadata_url); try again later");
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = TeamsOptions.ConnectorIssuer,
        ValidateAudience = true,
        ValidAudience = _options.AppId,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeys = configuration.SigningKeys,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TeamsOptions.ClockSkew,
        LifetimeValidator = ValidateLifetime,
        ValidAlgorithms = configuration.IdTokenSigningAlgValuesSupported is { Count: > 0 } algorithms ? algorithms : [SecurityAlgorithms.RsaSha256],
    };

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null || expires.Value.ToUniversalTime() + TeamsOptions.ClockSkew < now)
            return false;
        return notBefore is null || notBefore.Value.ToUniversalTime() - TeamsOptions.ClockSkew <= now;
    }

    /// <summary>The <c>endorsements</c> of the JWK the token names (by <c>kid</c>, else <c>x5t</c>), or null when it has none.</summary>
    private static IReadOnlyList<string>? EndorsementsOf(OpenIdConnectConfiguration configuration, JsonWebToken jwt)
    {
        var keys = configuration.JsonWebKeySet?.Keys;
        if (keys is null)
            return null;
        var key = keys.FirstOrDefault(k => !string.IsNullOrEmpty(jwt.Kid) && string.Equals(k.Kid, jwt.Kid, StringComparison.Ordinal))
            ?? keys.FirstOrDefault(k => !string.IsNullOrEmpty(jwt.X5t) && string.Equals(k.X5t, jwt.X5t, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value) || value is null)
            return null;
        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray(),
            string single => [single],
            System.Collections.IEnumerable items => items.Cast<object?>().Select(o => o?.ToString()).OfType<string>().ToArray(),
            _ => null,
        };
    }

    private string Explain(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAudienceException => "the token's aud is not this bot's Microsoft App ID (config.app_id)",
        SecurityTokenInvalidIssuerException => $"the token's iss is not {TeamsOptions.ConnectorIssuer}",
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenNoExpirationException =>
            $"the token is expired or not yet valid (exp/nbf, {TeamsOptions.ClockSkew.TotalMinutes:0} minutes' clock skew allowed)",
        SecurityTokenSignatureKeyNotFoundException => "the token is signed with a key the Bot Connector's OpenID metadata does not list",
        SecurityTokenInvalidSignatureException => "the token's signature is not valid for the Bot Connector's published keys",
        SecurityTokenInvalidAlgorithmException => "the token's signing algorithm is not one the OpenID metadata allows",
        SecurityTokenMalformedException => "the Authorization bearer token is not a well-formed JWT",
        null => "the token was refused",
        _ => $"the token was refused ({exception.GetType().Name})",
    };

    private static string Describe(Exception ex) => ex.InnerException is HttpRequestException inner ? inner.Message : ex.GetType().Name;
}
