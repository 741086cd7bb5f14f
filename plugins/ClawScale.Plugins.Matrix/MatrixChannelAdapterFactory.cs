using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Matrix;

/// <summary>
/// The Matrix channel plugin's entry point (kind <c>matrix</c>). Credentials: <c>access_token</c> (required, the bot
/// account's access token, sent as <c>Authorization: Bearer …</c>). Config: see <see cref="MatrixOptions"/>.
/// </summary>
public sealed class MatrixChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "matrix";

    /// <summary><c>["homeserver_url"]</c>: the homeserver receives the access token with every call.</summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["homeserver_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("homeserver_url", "Homeserver URL") { Required = true, Help = "The client-server API base, for example https://matrix.example.org (m.homeserver.base_url in /.well-known/matrix/client)." },
        new("access_token", "Access token") { Required = true, Secret = true, Help = "The bot account's access token, from POST /_matrix/client/v3/login or Element: Settings → Help & About → Access Token." },
        new("auto_join", "Auto-join") { Choices = ["true", "false"], Help = "Accept room invites automatically; default false (join by hand)." },
        new("group_replies", "Group replies") { Choices = ["mention", "all"], Help = "mention (default): in rooms of more than two members answer only messages that mention the bot; all: every message." },
        new("display_name", "Display name") { Help = "The bot's name to look for in messages from clients that send no m.mentions; default: its profile's display name." },
        new("sync_timeout_seconds", "Sync timeout (s)") { Help = "Long-poll wait of one sync, 0 to 120; default 30." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Call timeout on top of the sync wait, 1 to 300; default 30." },
    ];

    /// <summary>Checks <c>credentials.access_token</c> (required, no spaces) and the config keys of <see cref="MatrixOptions"/>.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();
        CheckToken(credentials, problems);
        MatrixOptions.Parse(config, out var optionErrors);
        problems.AddRange(optionErrors);
        return problems;
    }

    /// <summary>Creates the adapter of one Matrix channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration is invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var token = CheckToken(context.Credentials, problems);
        var options = MatrixOptions.Parse(context.Config, out var optionErrors);
        problems.AddRange(optionErrors);
        if (problems.Count > 0)
            throw new ArgumentException($"Matrix channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new MatrixChannelAdapter(context, options, token!);
    }

    private static string? CheckToken(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (!credentials.TryGetValue("access_token", out var token) || string.IsNullOrWhiteSpace(token))
        {
            problems.Add("credentials.access_token is required: the bot account's access token (POST /_matrix/client/v3/login, or Element: Settings → Help & About → Access Token)");
            return null;
        }

        token = token.Trim();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = token[7..].Trim();
        if (token.Any(char.IsWhiteSpace))
        {
            problems.Add("credentials.access_token must be the bare token (no spaces)");
            return null;
        }

        return token;
    }
}
