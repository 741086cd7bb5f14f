using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Slack;

/// <summary>
/// The Slack channel plugin's entry point (kind <c>slack</c>). Credentials: <c>bot_token</c> (xoxb-…, always),
/// <c>signing_secret</c> (events mode), <c>app_token</c> (xapp-…, socket mode). Config: see <see cref="SlackOptions"/>.
/// </summary>
public sealed class SlackChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "slack";

    /// <summary>
    /// <c>["api_base_url"]</c>: the Web API, which receives <c>Authorization: Bearer</c> with the bot token (and the app
    /// token for apps.connections.open in socket mode). Changing it needs the credentials again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["api_base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("bot_token", "Bot token") { Required = true, Secret = true, Help = "The Bot User OAuth Token (xoxb-…) from OAuth & Permissions." },
        new("mode", "Mode") { Choices = ["events", "socket"], Help = "events (default): Slack POSTs the Events API to the webhook URL; socket: Socket Mode over a WebSocket." },
        new("signing_secret", "Signing secret") { Secret = true, Help = "Basic Information → Signing Secret; required in events mode." },
        new("app_token", "App-level token") { Secret = true, Help = "An xapp-… token with connections:write; required in socket mode." },
        new("bot_user_id", "Bot user id") { Help = "The bot's user id (U…), to ignore its own messages; read from auth.test when empty." },
        new("reply_in_thread", "Reply in thread") { Choices = ["true", "false"], Help = "Answer in the message's thread; default true." },
        new("socket_silence_seconds", "Socket silence (s)") { Help = "Reconnect after this long without a frame, 5 to 600." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Web API call timeout, 1 to 300; default 30." },
        new("api_base_url", "Web API base URL") { Help = "Default https://slack.com/api." },
    ];

    /// <summary>
    /// Checks the credentials for the configured mode (<c>bot_token</c> starting with <c>xoxb-</c>; <c>signing_secret</c>
    /// in events mode; <c>app_token</c> starting with <c>xapp-</c> in socket mode) and the config keys of <see cref="SlackOptions"/>.
    /// </summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var options = SlackOptions.Parse(config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(options, credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one Slack channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = SlackOptions.Parse(context.Config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(options, context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"Slack channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new SlackChannelAdapter(
            context,
            options,
            context.Credentials["bot_token"].Trim(),
            Get(context.Credentials, "signing_secret"),
            Get(context.Credentials, "app_token"));
    }

    private static void CheckCredentials(SlackOptions options, IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        var botToken = Get(credentials, "bot_token");
        if (botToken is null)
            problems.Add("credentials.bot_token is required: the app's Bot User OAuth Token (xoxb-…) from OAuth & Permissions");
        else if (!botToken.StartsWith("xoxb-", StringComparison.Ordinal))
            problems.Add("credentials.bot_token must be a bot token starting with xoxb- (not a user xoxp- or app-level xapp- token)");

        if (options.Mode == SlackMode.Events && Get(credentials, "signing_secret") is null)
            problems.Add("credentials.signing_secret is required in events mode: the app's Signing Secret from Basic Information → App Credentials");

        if (options.Mode == SlackMode.Socket)
        {
            var appToken = Get(credentials, "app_token");
            if (appToken is null)
                problems.Add("credentials.app_token is required in socket mode: an app-level token (xapp-…) with the connections:write scope");
            else if (!appToken.StartsWith("xapp-", StringComparison.Ordinal))
                problems.Add("credentials.app_token must be an app-level token starting with xapp-");
        }
    }

    private static string? Get(IReadOnlyDictionary<string, string> credentials, string key) =>
        credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
