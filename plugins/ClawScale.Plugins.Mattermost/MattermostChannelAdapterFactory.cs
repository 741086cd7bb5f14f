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
