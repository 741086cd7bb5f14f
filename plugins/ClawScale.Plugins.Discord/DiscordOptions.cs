using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// A Discord channel's settings, parsed and validated from the channel's <c>config</c> map. Keys:
/// <c>application_id</c>, <c>public_key</c>, <c>api_base_url</c>, <c>gateway_url</c>, <c>intents</c>,
/// <c>request_timeout_seconds</c>.
/// </summary>
public sealed record DiscordOptions
{
    /// <summary>The default REST base URL (API v10).</summary>
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";

    /// <summary>GUILD_MESSAGES (1 &lt;&lt; 9), Gateway "List of Intents".</summary>
    public const int GuildMessagesIntent = 1 << 9;

    /// <summary>DIRECT_MESSAGES (1 &lt;&lt; 12).</summary>
    public const int DirectMessagesIntent = 1 << 12;

    /// <summary>MESSAGE_CONTENT (1 &lt;&lt; 15), a privileged intent enabled in the developer portal.</summary>
    public const int MessageContentIntent = 1 << 15;

    /// <summary>The default intents: GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT = 37376.</summary>
    public const int DefaultIntents = GuildMessagesIntent | DirectMessagesIntent | MessageContentIntent;

    /// <summary>Every config key this plugin reads.</summary>
    public static readonly IReadOnlyCollection<string> KnownKeys =
        ["application_id", "public_key", "api_base_url", "gateway_url", "intents", "request_timeout_seconds"];

    /// <summary>The application id (config <c>application_id</c>, a snowflake); interactions carry their own too.</summary>
    public string? ApplicationId { get; init; }

    /// <summary>
    /// The application's Ed25519 public key, 32 bytes (config <c>public_key</c>, 64 hex digits from the developer
    /// portal's "General Information"). Required to accept interactions; without it every interaction call gets 401.
    /// </summary>
    public byte[]? PublicKey { get; init; }

    /// <summary>The REST base URL (config <c>api_base_url</c>); default https://discord.com/api/v10.</summary>
    public Uri ApiBaseUrl { get; init; } = new(DefaultApiBaseUrl);

    /// <summary>
    /// The Gateway URL (config <c>gateway_url</c>, ws or wss, for tests and proxies); default <see langword="null"/>:
    /// asked from <c>GET /gateway/bot</c>. <c>?v=10&amp;encoding=json</c> is appended.
    /// </summary>
    public Uri? GatewayUrl { get; init; }

    /// <summary>The Gateway intents bit set (config <c>intents</c>, a non-negative integer); default <see cref="DefaultIntents"/>.</summary>
    public int Intents { get; init; } = DefaultIntents;

    /// <summary>The timeout of one REST call (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest message content in characters (Create Message: 2000); longer texts are split.</summary>
    public int MaxMessageLength { get; init; } = 2000;

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field and its constraint; empty when valid.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static DiscordOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var reader = new ConfigReader(config, "config", problems);
        reader.RejectUnknownKeys(KnownKeys);
        var options = new DiscordOptions
        {
            ApiBaseUrl = reader.HttpUrl("api_base_url", DefaultApiBaseUrl),
            Intents = reader.Int("intents", DefaultIntents, 0, int.MaxValue),
            RequestTimeout = TimeSpan.FromSeconds(reader.Int("request_timeout_seconds", 30, 1, 300)),
        };

        if (reader.String("application_id") is { } appId)
        {
            if (IsSnowflake(appId))
                options = options with { ApplicationId = appId };
            else
                problems.Add($"config.application_id: must be the application's numeric id (a snowflake, 17–20 digits) from the developer portal (got '{appId}')");
        }

        if (reader.String("public_key") is { } hex)
        {
            if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit))
                options = options with { PublicKey = Convert.FromHexString(hex) };
            else
                problems.Add("config.public_key: must be the application's public key, 64 hex digits, from the developer portal's General Information page");
        }

        if (reader.String("gateway_url") is { } gateway)
        {
            if (Uri.TryCreate(gateway, UriKind.Absolute, out var uri) && (uri.Scheme == "ws" || uri.Scheme == "wss"))
                options = options with { GatewayUrl = uri };
            else
                problems.Add($"config.gateway_url: must be an absolute ws or wss URL such as wss://gateway.discord.gg (got '{gateway}')");
        }

        errors = problems;
        return options;
    }

    /// <summary>Whether <paramref name="value"/> looks like a Discord snowflake (1–20 decimal digits).</summary>
    /// <param name="value">The candidate.</param>
    /// <returns>True when well-formed.</returns>
    public static bool IsSnowflake(string? value) => value is { Length: >= 1 and <= 20 } && value.All(char.IsAsciiDigit);
}
