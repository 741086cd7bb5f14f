using System.Globalization;

namespace ClawScale.Plugins.Mattermost;

/// <summary>
/// A Mattermost channel's settings, parsed and validated from the channel's <c>config</c> map. Keys: <c>server_url</c>
/// (required), <c>bot_user_id</c>, <c>bot_username</c>, <c>reply_in_thread</c>, <c>answer_all_messages</c>,
/// <c>request_timeout_seconds</c>.
/// </summary>
public sealed record MattermostOptions
{
    /// <summary>The longest message of one post in characters (the server's default maximum post size is 16383); longer texts are split.</summary>
    public const int MaxPostLength = 16_000;

    /// <summary>The server's base URL, for example https://mattermost.example.com (config <c>server_url</c>); the API is at <c>{server_url}/api/v4/</c>.</summary>
    public Uri ServerUrl { get; init; } = new("https://mattermost.invalid/");

    /// <summary>
    /// The bot account's user id (config <c>bot_user_id</c>, 26 lower-case letters and digits). Posts by it are ignored so
    /// the bot never answers itself; learnt from <c>GET /api/v4/users/me</c> at connect when not set.
    /// </summary>
    public string? BotUserId { get; init; }

    /// <summary>The bot's username without <c>@</c> (config <c>bot_username</c>); an <c>@username</c> mention addresses it. Learnt at connect when not set.</summary>
    public string? BotUsername { get; init; }

    /// <summary>
    /// Whether the reply is posted in a thread under the user's post (config <c>reply_in_thread</c>, true|false); default true.
    /// </summary>
    public bool ReplyInThread { get; init; } = true;

    /// <summary>
    /// Whether every post the webhook delivers is addressed to the bot (config <c>answer_all_messages</c>); default false:
    /// only posts that matched a trigger word or mention <c>@bot_username</c>. Set it for a channel-wide webhook without
    /// trigger words in a channel dedicated to the bot.
    /// </summary>
    public bool AnswerAllMessages { get; init; }

    /// <summary>The timeout of one API call (config <c>request_timeout_seconds</c>, 1–300); default 15 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The REST API v4 base, <c>{server_url}/api/v4/</c>.</summary>
    public Uri ApiBaseUrl => new(ServerUrl, "api/v4/");

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field; empty when valid.</param>
    /// <returns>The options.</returns>
    public static MattermostOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var options = new MattermostOptions();
        var known = new[] { "server_url", "bot_user_id", "bot_username", "reply_in_thread", "answer_all_messages", "request_timeout_seconds" };
        foreach (var key in config.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
            problems.Add($"config.{key}: unknown setting; known settings are {string.Join(", ", known)}");

        if (Get(config, "server_url") is not { } server)
        {
            problems.Add("config.server_url is required: the Mattermost server's address, for example https://mattermost.example.com");
        }
        else
        {
            var text = server.EndsWith('/') ? server : server + "/";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.Query))
                options = options with { ServerUrl = uri };
            else
                problems.Add($"config.server_url must be an absolute http(s) URL without query, such as https://mattermost.example.com (got \"{server}\")");
        }

        if (Get(config, "bot_user_id") is { } userId)
        {
            if (userId.Length == 26 && userId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
                options = options with { BotUserId = userId };
            else
                problems.Add($"config.bot_user_id must be a Mattermost id: 26 lower-case letters and digits (got \"{userId}\")");
        }

        if (Get(config, "bot_username") is { } username)
            options = options with { BotUsername = username.TrimStart('@') };

        if (Bool(config, "reply_in_thread", problems) is { } thread)
            options = options with { ReplyInThread = thread };
        if (Bool(config, "answer_all_messages", problems) is { } all)
            options = options with { AnswerAllMessages = all };

        if (Get(config, "request_timeout_seconds") is { } timeout)
        {
            if (int.TryParse(timeout, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 300)
                options = options with { RequestTimeout = TimeSpan.FromSeconds(seconds) };
            else
                problems.Add($"config.request_timeout_seconds must be a whole number from 1 to 300 (got \"{timeout}\")");
        }

        errors = problems;
        return options;
    }

    private static string? Get(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool? Bool(IReadOnlyDictionary<string, string> config, string key, List<string> problems)
    {
        if (Get(config, key) is not { } text)
            return null;
        if (bool.TryParse(text, out var value))
            return value;
        problems.Add($"config.{key} must be \"true\" or \"false\" (got \"{text}\")");
        return null;
    }
}
