using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Line;

/// <summary>
/// The LINE Messaging API channel plugin's entry point (kind <c>line</c>). Credentials: <c>channel_access_token</c>
/// (a long-lived channel access token) and <c>channel_secret</c> (signs webhooks). Config: see <see cref="LineOptions"/>.
/// </summary>
public sealed class LineChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "line";

    /// <summary>
    /// <c>["api_base_url"]</c>: the Messaging API host, which receives <c>Authorization: Bearer</c> with the channel access
    /// token. Changing it needs the credentials again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["api_base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("channel_access_token", "Channel access token") { Required = true, Secret = true, Help = "A long-lived channel access token: LINE Developers Console → Messaging API tab → Issue." },
        new("channel_secret", "Channel secret") { Required = true, Secret = true, Help = "LINE Developers Console → Basic settings tab → Channel secret; verifies X-Line-Signature." },
        new("reply_token_window_seconds", "Reply token window (s)") { Help = "How long after receipt the free reply API is used instead of push, 1 to 60; default 50." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Messaging API call timeout, 1 to 300; default 30." },
        new("api_base_url", "Messaging API base URL") { Help = "Default https://api.line.me." },
    ];

    /// <summary>Checks the config of <see cref="LineOptions"/> and that both credentials are present.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();
        LineOptions.Parse(config, problems);
        CheckCredentials(credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one LINE channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var options = LineOptions.Parse(context.Config, problems);
        CheckCredentials(context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"LINE channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new LineChannelAdapter(context, options, Get(context.Credentials, "channel_access_token")!, Get(context.Credentials, "channel_secret")!);
    }

    private static void CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (Get(credentials, "channel_access_token") is null)
            problems.Add("credentials.channel_access_token: required; issue a long-lived channel access token in the LINE Developers Console → your Messaging API channel → Messaging API tab");
        if (Get(credentials, "channel_secret") is null)
            problems.Add("credentials.channel_secret: required; the Channel secret from the LINE Developers Console → Basic settings tab (it signs webhooks, X-Line-Signature)");
    }

    private static string? Get(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
