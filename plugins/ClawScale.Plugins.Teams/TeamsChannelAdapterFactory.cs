using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// The Microsoft Teams channel plugin's entry point (kind <c>teams</c>). Credentials: <c>app_password</c> (the client
/// secret of the bot's Microsoft App ID). Config: see <see cref="TeamsOptions"/> (<c>app_id</c> is required).
/// </summary>
public sealed class TeamsChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "teams";

    /// <summary>
    /// The keys that decide where the app password and the bot's Connector token go, or whose keys the plugin trusts:
    /// <c>token_endpoint</c> and <c>app_tenant_id</c> (receive the app password), <c>service_url_hosts</c>,
    /// <c>allow_http_service_url</c> and <c>default_service_url</c> (receive the Connector token), and
    /// <c>openid_metadata_url</c> (the keys inbound tokens are checked with). Changing one needs the credentials again in
    /// the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } =
        ["token_endpoint", "app_tenant_id", "openid_metadata_url", "service_url_hosts", "allow_http_service_url", "default_service_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("app_id", "Microsoft App ID") { Required = true, Help = "The bot's Microsoft App ID (a GUID): Azure Bot → Configuration → Microsoft App ID." },
        new("app_password", "App password") { Required = true, Secret = true, Help = "The client secret's Value (not its Secret ID): Azure Bot → Configuration → Manage Password → Certificates & secrets." },
        new("app_tenant_id", "App tenant id") { Help = "Single-tenant bots only: the app's Directory (tenant) ID, a GUID or domain; default botframework.com (multi-tenant)." },
        new("default_service_url", "Default service URL") { Help = "Where proactive messages go, for example https://smba.trafficmanager.net/teams/; must pass the service URL hosts." },
        new("service_url_hosts", "Service URL hosts") { Help = "Comma-separated host suffixes replies and the bot's token may go to; default smba.trafficmanager.net,botframework.com." },
        new("allow_http_service_url", "Allow http service URLs") { Choices = ["true", "false"], Help = "Allow http (not https) service URLs, for tests only; default false." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Token or Connector call timeout, 1 to 300; default 30." },
        new("token_endpoint", "Token endpoint") { Help = "Where the app password is sent; default https://login.microsoftonline.com/{app_tenant_id}/oauth2/v2.0/token." },
        new("openid_metadata_url", "OpenID metadata URL") { Help = "The Connector's OpenID metadata naming the keys of inbound tokens; default https://login.botframework.com/v1/.well-known/openidconfiguration." },
    ];

    /// <summary>Checks the config keys of <see cref="TeamsOptions"/> and that <c>credentials.app_password</c> is set.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        TeamsOptions.Parse(config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one Teams channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = TeamsOptions.Parse(context.Config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"Teams channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new TeamsChannelAdapter(context, options, context.Credentials["app_password"].Trim());
    }

    private static void CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (!credentials.TryGetValue("app_password", out var password) || string.IsNullOrWhiteSpace(password))
            problems.Add("credentials.app_password: required; the client secret's Value of the bot's Microsoft App ID (Azure Bot → Configuration → Manage Password → Certificates & secrets)");
        foreach (var key in credentials.Keys.Where(k => k != "app_password").Order(StringComparer.Ordinal))
            problems.Add($"credentials.{key}: unknown credential; the Teams plugin uses only credentials.app_password");
    }
}
