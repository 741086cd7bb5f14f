using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Teams.Tests.Fakes;

/// <summary>
/// A fake of the Bot Framework services a Teams bot talks to, on 127.0.0.1 with a free port (real Kestrel):
/// <list type="bullet">
/// <item><description><c>GET /v1/.well-known/openidconfiguration</c>: the OpenID metadata document, in the shape of the
/// Bot Framework docs ("Authentication with the Bot Connector API", Connector to Bot, step 2), whose <c>jwks_uri</c> is
/// <c>GET /v1/.well-known/keys</c>: the signing keys as JWKs with <c>endorsements</c> (step 3);</description></item>
/// <item><description><c>POST /{tenant}/oauth2/v2.0/token</c>: the Entra ID client-credentials endpoint (Bot to Connector,
/// steps 1–2: <c>{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":"…"}</c>; wrong credentials
/// → 401 <c>{"error":"invalid_client","error_description":"AADSTS7000215: …"}</c>, RFC 6749 §5.2);</description></item>
/// <item><description><c>POST /{region}/v3/conversations/{id}/activities[/{activityId}]</c>: the Connector (Bot Connector
/// API "Send and receive messages"), answering <c>{"id":"…"}</c>, checking the Bearer token it issued, and failing on
/// demand with the Teams status codes and <c>{"error":{"code","message"}}</c> bodies (Teams docs "Status codes from bot
/// conversational APIs").</description></item>
/// </list>
/// </summary>
public sealed class FakeBotFramework : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeConnectorCall> _calls = [];
    private readonly List<FakeTokenRequest> _tokenRequests = [];
    private readonly HashSet<string> _validTokens = [];
    private readonly Queue<(int Status, string? Code, int? RetryAfter)> _connectorFailures = new();
    private readonly List<BotFrameworkSigningKey> _keys = [];
    private int _metadataFetches;
    private int _keyFetches;
    private int _nextToken;
    private int _nextActivity = 1000;

    private FakeBotFramework(WebApplication app, string appId, string appPassword)
    {
        _app = app;
        AppId = appId;
        AppPassword = appPassword;
    }

    public string AppId { get; }

    public string AppPassword { get; }

    /// <summary>The base URL, for example http://127.0.0.1:41234.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The OpenID metadata URL to configure as <c>openid_metadata_url</c>.</summary>
    public Uri OpenIdMetadataUrl => new(BaseUrl, "/v1/.well-known/openidconfiguration");

    /// <summary>The multi-tenant token endpoint to configure as <c>token_endpoint</c>.</summary>
    public Uri TokenEndpoint => new(BaseUrl, "/botframework.com/oauth2/v2.0/token");

    /// <summary>The service URL to put into activities (the Connector of region "amer").</summary>
    public string ServiceUrl => new Uri(BaseUrl, "/amer/").AbsoluteUri;

    /// <summary>The key the Connector signs with (endorsed for msteams), listed in the JWKS.</summary>
    public BotFrameworkSigningKey SigningKey { get; } = new("fake-key-1", "msteams", "skype", "webchat");

    /// <summary>Whether the metadata document answers 500 (an outage).</summary>
    public bool MetadataDown { get; set; }

    /// <summary>The token lifetime given in <c>expires_in</c>, seconds.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    public int MetadataFetches => Volatile.Read(ref _metadataFetches);

    public int KeyFetches => Volatile.Read(ref _keyFetches);

    public IReadOnlyList<FakeConnectorCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    public IReadOnlyList<FakeTokenRequest> TokenRequests
    {
        get
        {
            lock (_gate)
                return _tokenRequests.ToArray();
        }
    }

    public static async Task<FakeBotFramework> StartAsync(string appId = "2b6f1a43-7c1e-4c1a-9a0e-3f7d8a1b5c10", string appPassword = "fake~AppPassword.0123456789abcdefghijklmn")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeBotFramework(app, appId, appPassword);
        fake._keys.Add(fake.SigningKey);
        app.MapGet("/v1/.well-known/openidconfiguration", fake.HandleMetadataAsync);
        app.MapGet("/v1/.well-known/keys", fake.HandleKeysAsync);
        app.MapPost("/{tenant}/oauth2/v2.0/token", fake.HandleTokenAsync);
        app.MapPost("/{region}/v3/conversations/{conversationId}/activities", (HttpContext c, string conversationId) => fake.HandleConnectorAsync(c, conversationId, null));
        app.MapPost("/{region}/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => fake.HandleConnectorAsync(c, conversationId, activityId));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Adds a key to the JWKS (a key rollover).</summary>
    public void PublishKey(BotFrameworkSigningKey key)
    {
        lock (_gate)
            _keys.Add(key);
    }

    /// <summary>A Connector-to-bot token for this bot and <paramref name="serviceUrl"/> (default: <see cref="ServiceUrl"/>).</summary>
    public string Token(DateTimeOffset now, string? serviceUrl = null, string? audience = null, string issuer = "https://api.botframework.com",
        TimeSpan? lifetime = null, TimeSpan? notBeforeOffset = null, BotFrameworkSigningKey? key = null, BotFrameworkSigningKey? signWith = null, string alg = "RS256") =>
        (key ?? SigningKey).Sign(audience ?? AppId, serviceUrl ?? ServiceUrl, now, issuer, lifetime, notBeforeOffset, signWith, alg);

    /// <summary>Makes every token issued so far invalid at the Connector (a rotated secret or revoked token).</summary>
    public void RevokeIssuedTokens()
    {
        lock (_gate)
            _validTokens.Clear();
    }

    /// <summary>The next <paramref name="count"/> Connector calls fail with <paramref name="status"/> and error code.</summary>
    public void FailNextConnectorCalls(int count, int status, string? code, int? retryAfterSeconds = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                _connectorFailures.Enqueue((status, code, retryAfterSeconds));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var key in _keys)
            key.Dispose();
    }

    private async Task HandleMetadataAsync(HttpContext context)
    {
        Interlocked.Increment(ref _metadataFetches);
        if (MetadataDown)
        {
            context.Response.StatusCode = 500;
            return;
        }

        await WriteAsync(context, 200, new JsonObject
        {
            ["issuer"] = "https://api.botframework.com",
            ["authorization_endpoint"] = "https://invalid.botframework.com",
            ["jwks_uri"] = new Uri(BaseUrl, "/v1/.well-known/keys").AbsoluteUri,
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        });
    }

    private async Task HandleKeysAsync(HttpContext context)
    {
        Interlocked.Increment(ref _keyFetches);
        var keys = new JsonArray();
        lock (_gate)
        {
            foreach (var key in _keys)
                keys.Add(key.ToJwk());
        }

        await WriteAsync(context, 200, new JsonObject { ["keys"] = keys });
    }

    private async Task HandleTokenAsync(HttpContext context, string tenant)
    {
        var form = await context.Request.ReadFormAsync();
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        lock (_gate)
            _tokenRequests.Add(new FakeTokenRequest { Tenant = tenant, Form = fields });

        if (fields.GetValueOrDefault("grant_type") != "client_credentials" || fields.GetValueOrDefault("scope") != "https://api.botframework.com/.default")
        {
            await WriteAsync(context, 400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "AADSTS900144: The request body must contain the following parameter: 'grant_type'." });
            return;
        }

        if (fields.GetValueOrDefault("client_id") != AppId || fields.GetValueOrDefault("client_secret") != AppPassword)
        {
            await WriteAsync(context, 401, new JsonObject
            {
                ["error"] = "invalid_client",
                ["error_description"] = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: 00000000-0000-0000-0000-000000000000",
                ["error_codes"] = new JsonArray(7000215),
            });
            return;
        }

        var token = "fake-connector-token-" + Interlocked.Increment(ref _nextToken).ToString(CultureInfo.InvariantCulture);
        lock (_gate)
            _validTokens.Add(token);
        await WriteAsync(context, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenLifetimeSeconds,
            ["ext_expires_in"] = TokenLifetimeSeconds,
            ["access_token"] = token,
        });
    }

    private async Task HandleConnectorAsync(HttpContext context, string conversationId, string? activityId)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var authorization = context.Request.Headers.Authorization.ToString();
        int status;
        JsonObject answer;
        int? retryAfter = null;
        lock (_gate)
        {
            var presented = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : string.Empty;
            if (!_validTokens.Contains(presented))
            {
                status = 401;
                answer = Error("Unauthorized", "Authorization has been denied for this request.");
            }
            else if (_connectorFailures.TryDequeue(out var failure))
            {
                status = failure.Status;
                retryAfter = failure.RetryAfter;
                answer = failure.Code is null ? new JsonObject() : Error(failure.Code, failure.Code + " (fake)");
            }
            else
            {
                status = 200;
                answer = new JsonObject { ["id"] = (++_nextActivity).ToString(CultureInfo.InvariantCulture) };
            }

            _calls.Add(new FakeConnectorCall
            {
                ConversationId = conversationId,
                ReplyToId = activityId,
                Authorization = authorization,
                Json = document.RootElement.Clone(),
                Status = status,
            });
        }

        if (retryAfter is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await WriteAsync(context, status, answer);
    }

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
