using System.Globalization;

namespace ClawScale.Plugins.Slack;

/// <summary>
/// A Slack channel's settings, parsed and validated from the channel's <c>config</c> map. Keys: <c>mode</c>
/// (<c>events</c> | <c>socket</c>), <c>api_base_url</c>, <c>bot_user_id</c>, <c>reply_in_thread</c>,
/// <c>socket_silence_seconds</c>, <c>request_timeout_seconds</c>.
/// </summary>
public sealed record SlackOptions
{
    /// <summary>The default Web API base URL.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://slack.com/api/");

    /// <summary>How far a request's <c>X-Slack-Request-Timestamp</c> may be from the time it was received (Slack: 5 minutes).</summary>
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>How events arrive (config <c>mode</c>); default <see cref="SlackMode.Events"/>.</summary>
    public SlackMode Mode { get; init; } = SlackMode.Events;

    /// <summary>The Web API base URL (config <c>api_base_url</c>, an absolute http(s) URL); default https://slack.com/api.</summary>
    public Uri ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    /// <summary>
    /// The bot's own user id, <c>U…</c> (config <c>bot_user_id</c>), used to recognise <c>&lt;@U…&gt;</c> mentions and the
    /// bot's own messages before <c>auth.test</c> has answered; <c>auth.test</c> in <c>ConnectAsync</c> overrides it.
    /// </summary>
    public string? BotUserId { get; init; }

    /// <summary>
    /// Whether replies to a top-level channel message go into a thread under it (config <c>reply_in_thread</c>,
    /// <c>true</c>|<c>false</c>); default true. Direct messages are never threaded unless the user wrote in a thread.
    /// </summary>
    public bool ReplyInThread { get; init; } = true;

    /// <summary>
    /// Socket Mode liveness window (config <c>socket_silence_seconds</c>, 5–600); default 30 s. The listener reconnects
    /// when Slack's <c>hello</c> does not arrive within it, and it is the WebSocket keep-alive timeout afterwards
    /// (pings every third of it; no pong in time aborts the socket and the listener reconnects).
    /// </summary>
    public TimeSpan SocketSilenceWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of one Web API call or WebSocket handshake (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest text of one chat.postMessage in UTF-16 code units (Slack truncates beyond 40,000); longer texts are split.</summary>
    public int MaxMessageLength { get; init; } = 40_000;

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field and its constraint; empty when valid.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static SlackOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var options = new SlackOptions();

        if (config.TryGetValue("mode", out var mode) && !string.IsNullOrWhiteSpace(mode))
        {
            switch (mode.Trim().ToLowerInvariant())
            {
                case "events": options = options with { Mode = SlackMode.Events }; break;
                case "socket": options = options with { Mode = SlackMode.Socket }; break;
                default: problems.Add($"config.mode must be \"events\" or \"socket\" (got \"{mode}\")"); break;
            }
        }

        if (config.TryGetValue("api_base_url", out var baseUrl) && !string.IsNullOrWhiteSpace(baseUrl))
        {
            var text = baseUrl.Trim();
            if (!text.EndsWith('/'))
                text += "/";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
                options = options with { ApiBaseUrl = uri };
            else
                problems.Add($"config.api_base_url must be an absolute http(s) URL such as https://slack.com/api (got \"{baseUrl}\")");
        }

        if (config.TryGetValue("bot_user_id", out var botUserId) && !string.IsNullOrWhiteSpace(botUserId))
        {
            var trimmed = botUserId.Trim();
            if (trimmed.Length is >= 2 and <= 32 && (trimmed[0] == 'U' || trimmed[0] == 'W') && trimmed.All(char.IsAsciiLetterOrDigit))
                options = options with { BotUserId = trimmed };
            else
                problems.Add($"config.bot_user_id must be the bot's Slack user id, U or W followed by letters and digits (for example U0123ABCD; got \"{botUserId}\")");
        }

        if (config.TryGetValue("reply_in_thread", out var thread) && !string.IsNullOrWhiteSpace(thread))
        {
            if (bool.TryParse(thread.Trim(), out var value))
                options = options with { ReplyInThread = value };
            else
                problems.Add($"config.reply_in_thread must be \"true\" or \"false\" (got \"{thread}\")");
        }

        if (TryInt(config, "socket_silence_seconds", 5, 600, problems, out var silence))
            options = options with { SocketSilenceWindow = TimeSpan.FromSeconds(silence) };

        if (TryInt(config, "request_timeout_seconds", 1, 300, problems, out var requestTimeout))
            options = options with { RequestTimeout = TimeSpan.FromSeconds(requestTimeout) };

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
