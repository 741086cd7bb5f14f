using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Mattermost;

/// <summary>
/// The Mattermost channel plugin's entry point (kind <c>mattermost</c>). Credentials: <c>webhook_token</c> (the outgoing
/// webhook's token, checked on every call) and <c>bot_token</c> (a bot account's access token for the REST API).
/// Config: see <see cref="MattermostOptions"/>.
/// </summary>
public sealed class MattermostChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "mattermost";

    /// <summary>
    /// <c>["server_url"]</c>: where the bot token is sent (<c>Authorization: Bearer</c>). Changing it needs the credentials
    /// again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["server_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("webhook_token", "Outgoing webhook token") { Required = true, Secret = true, Help = "The Token shown after creating the outgoing webhook (Integrations → Outgoing Webhooks)." },
        new("bot_token", "Bot access token") { Required = true, Secret = true, Help = "An access token of a bot account (Integrations → Bot Accounts → Create New Token)." },
        new("server_url", "Server URL") { Required = true, Help = "The server's base URL, for example https://mattermost.example.com; the REST API is at {server_url}/api/v4/." },
        new("bot_user_id", "Bot user id") { Help = "The bot account's user id (26 lower-case letters and digits), to ignore its own posts; learnt at connect when empty." },
        new("bot_username", "Bot username") { Help = "The bot's username without @, to recognise @mentions; learnt at connect when empty." },
        new("reply_in_thread", "Reply in thread") { Choices = ["true", "false"], Help = "Answer in a thread under the user's post; default true." },
        new("answer_all_messages", "Answer all messages") { Choices = ["true", "false"], Help = "Treat every post the webhook delivers as addressed to the bot (for a channel-wide webhook without trigger words); default false." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "REST API call timeout, 1 to 300; default 15." },
    ];

    /// <summary>Checks the config keys of <see cref="MattermostOptions"/> and both credentials.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        MattermostOptions.Parse(config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one Mattermost channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = MattermostOptions.Parse(context.Config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"Mattermost channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new MattermostChannelAdapter(context, options, Get(context.Credentials, "webhook_token")!, Get(context.Credentials, "bot_token")!);
    }

    private static void CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (Get(credentials, "webhook_token") is null)
            problems.Add("credentials.webhook_token is required: the Token shown after creating the outgoing webhook (Integrations → Outgoing Webhooks)");
        if (Get(credentials, "bot_token") is null)
            problems.Add("credentials.bot_token is required: an access token of a bot account (Integrations → Bot Accounts → Create New Token)");
    }

    private static string? Get(IReadOnlyDictionary<string, string> credentials, string key) =>
        credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
