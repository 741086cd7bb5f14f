using System.Text.RegularExpressions;
using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Telegram;

/// <summary>
/// The Telegram channel plugin's entry point (kind <c>telegram</c>). Credentials: <c>bot_token</c> (from
/// @BotFather, <c>&lt;bot id&gt;:&lt;secret&gt;</c>). Config: see <see cref="TelegramOptions"/>.
/// </summary>
public sealed partial class TelegramChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "telegram";

    /// <summary>
    /// <c>["api_base_url"]</c>: the Bot API server, which receives the bot token in every request path
    /// (<c>/bot&lt;token&gt;/getMe</c>) and the webhook secret in setWebhook. Changing it needs <c>credentials.bot_token</c>
    /// again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["api_base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("bot_token", "Bot token") { Required = true, Secret = true, Help = "The token @BotFather gave the bot, for example 123456789:AA…" },
        new("mode", "Mode") { Choices = ["webhook", "polling"], Help = "webhook (default): Telegram POSTs updates to the webhook URL; polling: the kernel long-polls getUpdates." },
        new("bot_username", "Bot username") { Help = "The bot's @username without @, to recognise mentions in groups; read from getMe when empty." },
        new("allowed_updates", "Allowed updates") { Help = "Comma-separated update types to receive; default message, edited_message, callback_query." },
        new("polling_timeout_seconds", "Polling timeout (s)") { Help = "Long-poll timeout, 0 to 50; default 30." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Bot API call timeout, 1 to 300; default 30." },
        new("api_base_url", "Bot API base URL") { Help = "Default https://api.telegram.org; a local Bot API server otherwise." },
    ];

    /// <summary>
    /// Checks <c>credentials.bot_token</c> (required, shaped <c>&lt;digits&gt;:&lt;token&gt;</c>) and the config keys of
    /// <see cref="TelegramOptions"/>. The webhook-mode default cannot be judged here (it depends on the kernel's
    /// public URL), so only explicit values are checked.
    /// </summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();
        if (!credentials.TryGetValue("bot_token", out var token) || string.IsNullOrWhiteSpace(token))
            problems.Add("credentials.bot_token is required: the token @BotFather gave for the bot, shaped <bot id>:<secret>");
        else if (!IsBotToken(token))
            problems.Add("credentials.bot_token must be shaped <digits>:<token> (for example 123456789:AAE…), as given by @BotFather");
        TelegramOptions.Parse(config, hasPublicWebhookUrl: false, out var optionErrors);
        problems.AddRange(optionErrors);
        return problems;
    }

    /// <summary>Creates the adapter of one Telegram channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or token is invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        context.Credentials.TryGetValue("bot_token", out var token);
        if (token is null || !IsBotToken(token))
            problems.Add("credentials.bot_token is missing or not shaped <digits>:<token>");
        var options = TelegramOptions.Parse(context.Config, context.PublicWebhookUrl is not null, out var optionErrors);
        problems.AddRange(optionErrors);
        if (problems.Count > 0)
            throw new ArgumentException($"Telegram channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new TelegramChannelAdapter(context, options, token!.Trim());
    }

    /// <summary>Whether <paramref name="token"/> has the shape of a Bot API token: <c>&lt;digits&gt;:&lt;A-Z a-z 0-9 _ -&gt;</c>.</summary>
    /// <param name="token">The candidate.</param>
    /// <returns>True when well-formed (Telegram alone knows whether it is valid).</returns>
    public static bool IsBotToken(string? token) => token is not null && BotTokenRegex().IsMatch(token.Trim());

    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$", RegexOptions.CultureInvariant)]
    private static partial Regex BotTokenRegex();
}
