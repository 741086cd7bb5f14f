using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Line;

/// <summary>
/// A LINE channel's settings, parsed from its <c>config</c> map. Keys: <c>api_base_url</c>,
/// <c>reply_token_window_seconds</c>, <c>request_timeout_seconds</c>.
/// </summary>
public sealed record LineOptions
{
    /// <summary>The Messaging API host used when <c>api_base_url</c> is not set.</summary>
    public const string DefaultApiBaseUrl = "https://api.line.me";

    /// <summary>The longest text of one text message object (reference "Text message": 5,000 characters).</summary>
    public const int MaxTextLength = 5000;

    /// <summary>The most message objects in one reply or push request (reference: 5).</summary>
    public const int MaxMessagesPerRequest = 5;

    /// <summary>The Messaging API base URL (config <c>api_base_url</c>); default https://api.line.me.</summary>
    public Uri ApiBaseUrl { get; init; } = new(DefaultApiBaseUrl);

    /// <summary>
    /// How long after a webhook is received its reply token is used (config <c>reply_token_window_seconds</c>, 1–60);
    /// default 50 s. LINE: "the reply token must be used within one minute after receiving the webhook; use after
    /// more than one minute is not guaranteed" (reference "Send reply message"). Later answers use the push API.
    /// </summary>
    public TimeSpan ReplyTokenWindow { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>The timeout of one API call (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="problems">Where problems are added, each naming its field.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static LineOptions Parse(IReadOnlyDictionary<string, string> config, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reader = new ConfigReader(config, "config", problems);
        return new LineOptions
        {
            ApiBaseUrl = reader.HttpUrl("api_base_url", DefaultApiBaseUrl),
            ReplyTokenWindow = TimeSpan.FromSeconds(reader.Int("reply_token_window_seconds", 50, 1, 60)),
            RequestTimeout = TimeSpan.FromSeconds(reader.Int("request_timeout_seconds", 30, 1, 300)),
        };
    }
}
