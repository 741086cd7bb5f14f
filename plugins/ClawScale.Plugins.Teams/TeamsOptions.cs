using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// A Teams channel's settings, parsed and validated from the channel's <c>config</c> map. Keys: <c>app_id</c>,
/// <c>app_tenant_id</c>, <c>token_endpoint</c>, <c>openid_metadata_url</c>, <c>service_url_hosts</c>,
/// <c>allow_http_service_url</c>, <c>default_service_url</c>, <c>request_timeout_seconds</c>.
/// </summary>
public sealed record TeamsOptions
{
    /// <summary>The Bot Connector's OpenID metadata document (Bot Framework authentication spec, "Connector to Bot", step 2).</summary>
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The tenant of multi-tenant bots' token requests (Bot Framework authentication spec, "Bot to Connector", step 1).</summary>
    public const string MultiTenantAuthority = "botframework.com";

    /// <summary>The scope of the client-credentials token for the Connector.</summary>
    public const string ConnectorScope = "https://api.botframework.com/.default";

    /// <summary>The issuer of tokens the Bot Connector sends to bots.</summary>
    public const string ConnectorIssuer = "https://api.botframework.com";

    /// <summary>
    /// The clock skew allowed on a token's <c>nbf</c>/<c>exp</c> ("Industry-standard clock-skew is 5 minutes", Bot Framework
    /// authentication spec, "Connector to Bot", step 4).
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The default allow-list of service URL host suffixes: the public Teams Connector (<c>smba.trafficmanager.net</c>) and
    /// the Bot Framework's own hosts (<c>*.botframework.com</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultServiceUrlHosts = ["smba.trafficmanager.net", "botframework.com"];

    /// <summary>Every config key this plugin reads.</summary>
    public static readonly IReadOnlyCollection<string> KnownKeys =
    [
        "app_id", "app_tenant_id", "token_endpoint", "openid_metadata_url", "service_url_hosts", "allow_http_service_url",
        "default_service_url", "request_timeout_seconds",
    ];

    /// <summary>
    /// The bot's Microsoft App ID (config <c>app_id</c>, a GUID; required): the audience inbound tokens must carry and the
    /// <c>client_id</c> of the outbound token request.
    /// </summary>
    public string AppId { get; init; } = string.Empty;

    /// <summary>
    /// The app's Entra tenant for single-tenant bots (config <c>app_tenant_id</c>, a GUID or domain); default
    /// <c>botframework.com</c> (multi-tenant). Used in the default <see cref="TokenEndpoint"/>.
    /// </summary>
    public string AppTenantId { get; init; } = MultiTenantAuthority;

    /// <summary>
    /// The client-credentials token endpoint (config <c>token_endpoint</c>, an absolute URL); default
    /// <c>https://login.microsoftonline.com/{app_tenant_id}/oauth2/v2.0/token</c>. Receives the app password.
    /// </summary>
    public Uri TokenEndpoint { get; init; } = TokenEndpointFor(MultiTenantAuthority);

    /// <summary>
    /// The OpenID metadata document whose <c>jwks_uri</c> lists the keys inbound tokens are signed with (config
    /// <c>openid_metadata_url</c>); default <see cref="DefaultOpenIdMetadataUrl"/>. An <c>http</c> URL is fetched over http
    /// (tests); otherwise https is required for it and its <c>jwks_uri</c>.
    /// </summary>
    public Uri OpenIdMetadataUrl { get; init; } = new(DefaultOpenIdMetadataUrl);

    /// <summary>
    /// Host suffixes a <c>serviceUrl</c> must end with (config <c>service_url_hosts</c>, comma-separated host names; a
    /// host matches an entry when it equals it or ends with <c>.</c> + entry); default <see cref="DefaultServiceUrlHosts"/>.
    /// The service URL receives the bot's Connector token, so it is restricted (see README "Why serviceUrl is restricted").
    /// </summary>
    public IReadOnlyList<string> ServiceUrlHosts { get; init; } = DefaultServiceUrlHosts;

    /// <summary>Whether <c>http</c> service URLs are allowed (config <c>allow_http_service_url</c>); default false (tests only).</summary>
    public bool AllowHttpServiceUrl { get; init; }

    /// <summary>
    /// The service URL for messages with no inbound activity behind them (proactive deliveries through DeliveryService;
    /// config <c>default_service_url</c>, for example <c>https://smba.trafficmanager.net/teams/</c>); default none.
    /// </summary>
    public Uri? DefaultServiceUrl { get; init; }

    /// <summary>The timeout of one token or Connector call (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest text of one activity, in UTF-16 code units; longer texts are split. Teams refuses activities over
    /// about 28 KB with 413 <c>MessageSizeTooBig</c> (Teams docs "Format your bot messages"), so this leaves room for the
    /// JSON envelope and multi-byte characters.
    /// </summary>
    public int MaxMessageLength { get; init; } = 7000;

    /// <summary>The token endpoint of a tenant.</summary>
    /// <param name="tenant">A tenant id, domain or <c>botframework.com</c>.</param>
    /// <returns><c>https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token</c>.</returns>
    public static Uri TokenEndpointFor(string tenant) => new($"https://login.microsoftonline.com/{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token");

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field and its constraint; empty when valid.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static TeamsOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var reader = new ConfigReader(config, "config", problems);
        reader.RejectUnknownKeys(KnownKeys);

        var appId = reader.String("app_id");
        if (appId is null)
            problems.Add("config.app_id: required; the bot's Microsoft App ID (a GUID) from the Azure Bot resource's Configuration page");
        else if (!Guid.TryParse(appId, out _))
            problems.Add($"config.app_id: must be the bot's Microsoft App ID, a GUID such as 00000000-0000-0000-0000-000000000000 (got '{appId}')");

        var tenant = reader.String("app_tenant_id") ?? MultiTenantAuthority;
        if (!IsTenant(tenant))
        {
            problems.Add($"config.app_tenant_id: must be the Entra tenant id (a GUID) or domain of a single-tenant bot (got '{tenant}')");
            tenant = MultiTenantAuthority;
        }

        var options = new TeamsOptions
        {
            AppId = appId ?? string.Empty,
            AppTenantId = tenant,
            TokenEndpoint = reader.HttpUrl("token_endpoint", TokenEndpointFor(tenant).AbsoluteUri),
            OpenIdMetadataUrl = reader.HttpUrl("openid_metadata_url", DefaultOpenIdMetadataUrl),
            AllowHttpServiceUrl = reader.Bool("allow_http_service_url", false),
            RequestTimeout = TimeSpan.FromSeconds(reader.Int("request_timeout_seconds", 30, 1, 300)),
        };

        if (reader.String("service_url_hosts") is { } hostList)
        {
            var hosts = hostList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(h => h.TrimStart('.').ToLowerInvariant()).ToArray();
            var bad = hosts.Where(h => Uri.CheckHostName(h) == UriHostNameType.Unknown || h.Contains('*', StringComparison.Ordinal)).ToArray();
            if (hosts.Length == 0 || bad.Length > 0)
                problems.Add($"config.service_url_hosts: must be a comma-separated list of host names or suffixes such as smba.trafficmanager.net,botframework.com (got '{hostList}')");
            else
                options = options with { ServiceUrlHosts = hosts };
        }

        if (reader.String("default_service_url") is { } defaultServiceUrl)
        {
            if (Uri.TryCreate(defaultServiceUrl, UriKind.Absolute, out var uri) && ServiceUrlPolicy.Check(uri, options, out _))
                options = options with { DefaultServiceUrl = uri };
            else
                problems.Add($"config.default_service_url: must be an absolute https URL whose host is allowed by config.service_url_hosts, for example https://smba.trafficmanager.net/teams/ (got '{defaultServiceUrl}')");
        }

        errors = problems;
        return options;
    }

    private static bool IsTenant(string value) =>
        Guid.TryParse(value, out _) || (value.Length <= 253 && Uri.CheckHostName(value) == UriHostNameType.Dns && value.Contains('.', StringComparison.Ordinal));
}
