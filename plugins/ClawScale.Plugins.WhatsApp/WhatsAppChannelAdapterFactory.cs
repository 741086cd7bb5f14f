using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>
/// The WhatsApp Business Cloud API channel plugin's entry point (kind <c>whatsapp</c>). Credentials:
/// <c>access_token</c> (a System User access token with <c>whatsapp_business_messaging</c>) and <c>app_secret</c> (the
/// Meta app's App Secret, which signs webhooks). The channel's webhook secret is the Verify Token entered in the app's
/// webhook settings. Config: see <see cref="WhatsAppOptions"/>.
/// </summary>
public sealed class WhatsAppChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "whatsapp";

    /// <summary>
    /// <c>["graph_base_url"]</c>: the Graph API host, which receives <c>Authorization: Bearer</c> with the access token.
    /// Changing it needs the credentials again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["graph_base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("phone_number_id", "Phone number ID") { Required = true, Help = "The numeric Phone number ID from WhatsApp Manager → API Setup, not the phone number itself." },
        new("access_token", "Access token") { Required = true, Secret = true, Help = "A System User token with whatsapp_business_messaging (Business Settings → System users → Generate new token)." },
        new("app_secret", "App secret") { Required = true, Secret = true, Help = "App Dashboard → App settings → Basic → App Secret; verifies the webhooks' X-Hub-Signature-256." },
        new("graph_api_version", "Graph API version") { Help = "Shaped like v23.0; default v23.0." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Graph API call timeout, 1 to 300; default 30." },
        new("graph_base_url", "Graph API base URL") { Help = "Default https://graph.facebook.com." },
    ];

    /// <summary>Checks the config of <see cref="WhatsAppOptions"/> and that both credentials are present.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();
        WhatsAppOptions.Parse(config, problems);
        CheckCredentials(credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one WhatsApp channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var options = WhatsAppOptions.Parse(context.Config, problems);
        CheckCredentials(context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"WhatsApp channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new WhatsAppChannelAdapter(context, options, Get(context.Credentials, "access_token")!, Get(context.Credentials, "app_secret")!);
    }

    private static void CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (Get(credentials, "access_token") is null)
            problems.Add("credentials.access_token: required; a System User access token with the whatsapp_business_messaging permission (Business Settings → System users → Generate new token)");
        if (Get(credentials, "app_secret") is null)
            problems.Add("credentials.app_secret: required; the Meta app's App Secret (App Dashboard → App settings → Basic), which signs webhooks (X-Hub-Signature-256)");
    }

    private static string? Get(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
