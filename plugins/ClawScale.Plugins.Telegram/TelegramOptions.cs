using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace ClawScale.Plugins.Telegram;

/// <summary>
/// A Telegram channel's settings, parsed and validated from the channel's <c>config</c> map. Keys:
/// <c>mode</c> (<c>webhook</c> | <c>polling</c>), <c>api_base_url</c>, <c>bot_username</c>,
/// <c>polling_timeout_seconds</c>, <c>allowed_updates</c> (comma-separated), <c>request_timeout_seconds</c>.
/// </summary>
public sealed record TelegramOptions
{
    /// <summary>The default Bot API server.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://api.telegram.org");

    /// <summary>Every update type by its Bot API name (<c>message</c>, <c>edited_message</c>, …), as Telegram.Bot writes it.</summary>
    private static readonly FrozenDictionary<string, UpdateType> UpdateTypesByName = Enum.GetValues<UpdateType>()
        .Where(t => t != UpdateType.Unknown)
        .ToFrozenDictionary(t => JsonSerializer.Serialize(t, JsonBotAPI.Options).Trim('"'), StringComparer.Ordinal);

    /// <summary>
    /// How updates arrive. Config <c>mode</c>; default <see cref="TelegramMode.Webhook"/> when the kernel knows its
    /// public webhook URL, <see cref="TelegramMode.Polling"/> otherwise.
    /// </summary>
    public TelegramMode Mode { get; init; } = TelegramMode.Polling;

    /// <summary>
    /// The Bot API server (config <c>api_base_url</c>, an absolute http(s) URL); default https://api.telegram.org. Only
    /// its scheme, host and port are used (Telegram.Bot builds <c>{scheme}://{host}:{port}/bot&lt;token&gt;/&lt;method&gt;</c>),
    /// so a path is rejected.
    /// </summary>
    public Uri ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    /// <summary>
    /// The bot's username without <c>@</c> (config <c>bot_username</c>), used to recognise mentions in groups before
    /// getMe has answered; getMe in <c>ConnectAsync</c> overrides it.
    /// </summary>
    public string? BotUsername { get; init; }

    /// <summary>The getUpdates long-poll timeout in seconds (config <c>polling_timeout_seconds</c>, 0–50); default 25.</summary>
    public int PollingTimeoutSeconds { get; init; } = 25;

    /// <summary>
    /// The update types asked for in setWebhook and getUpdates (config <c>allowed_updates</c>, comma-separated Bot API
    /// Update field names); default <c>message</c>.
    /// </summary>
    public IReadOnlyList<UpdateType> AllowedUpdates { get; init; } = [UpdateType.Message];

    /// <summary>The timeout of one Bot API call other than getUpdates (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest text of one message in UTF-16 code units (Bot API sendMessage: 4096); longer texts are split.</summary>
    public int MaxMessageLength { get; init; } = 4096;

    /// <summary>The longest caption in UTF-16 code units (Bot API sendPhoto/sendDocument: 1024).</summary>
    public int MaxCaptionLength { get; init; } = 1024;

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="hasPublicWebhookUrl">Whether the kernel knows this channel's public webhook URL (decides the default mode).</param>
    /// <param name="errors">Every problem found, naming the field and its constraint; empty when valid.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static TelegramOptions Parse(IReadOnlyDictionary<string, string> config, bool hasPublicWebhookUrl, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var options = new TelegramOptions { Mode = hasPublicWebhookUrl ? TelegramMode.Webhook : TelegramMode.Polling };

        if (config.TryGetValue("mode", out var mode) && !string.IsNullOrWhiteSpace(mode))
        {
            switch (mode.Trim().ToLowerInvariant())
            {
                case "webhook": options = options with { Mode = TelegramMode.Webhook }; break;
                case "polling": options = options with { Mode = TelegramMode.Polling }; break;
                default: problems.Add($"config.mode must be \"webhook\" or \"polling\" (got \"{mode}\")"); break;
            }
        }

        if (config.TryGetValue("api_base_url", out var baseUrl) && !string.IsNullOrWhiteSpace(baseUrl))
        {
            if (Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0)
                options = options with { ApiBaseUrl = uri };
            else
                problems.Add($"config.api_base_url must be an absolute http(s) URL without a path, such as https://api.telegram.org or http://localhost:8081 (got \"{baseUrl}\")");
        }

        if (config.TryGetValue("bot_username", out var username) && !string.IsNullOrWhiteSpace(username))
        {
            var trimmed = username.Trim().TrimStart('@');
            if (trimmed.Length is >= 5 and <= 32 && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                options = options with { BotUsername = trimmed };
            else
                problems.Add($"config.bot_username must be the bot's username (5–32 of A-Z a-z 0-9 _, with or without @; got \"{username}\")");
        }

        if (TryInt(config, "polling_timeout_seconds", 0, 50, problems, out var pollTimeout))
            options = options with { PollingTimeoutSeconds = pollTimeout };

        if (TryInt(config, "request_timeout_seconds", 1, 300, problems, out var requestTimeout))
            options = options with { RequestTimeout = TimeSpan.FromSeconds(requestTimeout) };

        if (config.TryGetValue("allowed_updates", out var allowed) && !string.IsNullOrWhiteSpace(allowed))
        {
            var list = allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = list.Where(name => !UpdateTypesByName.ContainsKey(name)).ToList();
            if (list.Length > 0 && unknown.Count == 0)
                options = options with { AllowedUpdates = list.Select(name => UpdateTypesByName[name]).Distinct().ToArray() };
            else
                problems.Add($"config.allowed_updates must be a comma-separated list of Update field names such as \"message,edited_message\" (got \"{allowed}\"; unknown: {string.Join(", ", unknown)}; known: {string.Join(", ", UpdateTypesByName.Keys.Order(StringComparer.Ordinal))})");
        }

        errors = problems;
        return options;
    }

    private static bool TryInt(IReadOnlyDictionary<string, string> config, string key, int min, int max, List<string> problems, out int value)
    {
        value = 0;
        if (!config.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
            return false;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        problems.Add($"config.{key} must be a whole number of seconds from {min} to {max} (got \"{text}\")");
        return false;
    }
}
