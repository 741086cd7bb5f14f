using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// The Discord channel plugin's entry point (kind <c>discord</c>). Credentials: <c>bot_token</c> (developer portal →
/// Bot → Token). Config: see <see cref="DiscordOptions"/>.
/// </summary>
public sealed class DiscordChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "discord";

    /// <summary>
    /// <c>["api_base_url", "gateway_url"]</c>: the REST API receives <c>Authorization: Bot &lt;token&gt;</c>, the Gateway
    /// the token in IDENTIFY. Changing either needs <c>credentials.bot_token</c> again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["api_base_url", "gateway_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("bot_token", "Bot token") { Required = true, Secret = true, Help = "Developer portal → your app → Bot → Reset Token." },
        new("application_id", "Application id") { Help = "The application's snowflake id, for interactions." },
        new("public_key", "Public key") { Help = "The application's Ed25519 public key (hex), to verify interaction webhooks." },
        new("intents", "Gateway intents") { Help = "The Gateway intents bit field; the default receives guild and direct messages with content." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "REST call timeout, 1 to 300; default 30." },
        new("api_base_url", "REST API base URL") { Help = "Default https://discord.com/api/v10." },
        new("gateway_url", "Gateway URL") { Help = "ws or wss; default: the URL Discord's GET /gateway/bot gives." },
    ];

    /// <summary>Checks <c>credentials.bot_token</c> (required, no spaces) and the config keys of <see cref="DiscordOptions"/>.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();
        CheckToken(credentials, problems);
        DiscordOptions.Parse(config, out var optionErrors);
        problems.AddRange(optionErrors);
        return problems;
    }

    /// <summary>Creates the adapter of one Discord channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or token is invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var token = CheckToken(context.Credentials, problems);
        var options = DiscordOptions.Parse(context.Config, out var optionErrors);
        problems.AddRange(optionErrors);
        if (problems.Count > 0)
            throw new ArgumentException($"Discord channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new DiscordChannelAdapter(context, options, token!);
    }

    private static string? CheckToken(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (!credentials.TryGetValue("bot_token", out var token) || string.IsNullOrWhiteSpace(token))
        {
            problems.Add("credentials.bot_token is required: the bot's token from the developer portal (Applications → your app → Bot → Reset Token)");
            return null;
        }

        token = token.Trim();
        if (token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase))
            token = token[4..].Trim();
        if (token.Any(char.IsWhiteSpace))
        {
            problems.Add("credentials.bot_token must be the bare token (no spaces); copy it again from the developer portal's Bot page");
            return null;
        }

        return token;
    }
}
