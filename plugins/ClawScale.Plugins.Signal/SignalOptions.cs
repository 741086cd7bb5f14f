using System.Text.RegularExpressions;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Signal;

/// <summary>
/// A Signal channel's settings, parsed and validated from the channel's <c>config</c> map. Keys: <c>api_base_url</c>
/// (required), <c>number</c> (required), <c>mode</c>, <c>account_uuid</c>, <c>group_replies</c>,
/// <c>receive_timeout_seconds</c>, <c>request_timeout_seconds</c>.
/// </summary>
public sealed partial record SignalOptions
{
    /// <summary>Every config key this plugin reads.</summary>
    public static readonly IReadOnlyCollection<string> KnownKeys =
        ["api_base_url", "number", "mode", "account_uuid", "group_replies", "receive_timeout_seconds", "request_timeout_seconds"];

    /// <summary>The REST API's base URL (config <c>api_base_url</c>, http or https, required), for example http://signal-api:8080.</summary>
    public Uri ApiBaseUrl { get; init; } = new("http://localhost:8080");

    /// <summary>The bot's registered number in E.164 (config <c>number</c>, required), for example <c>+4915112345678</c>.</summary>
    public string Number { get; init; } = string.Empty;

    /// <summary>The bot account's ACI uuid (config <c>account_uuid</c>, optional): mentions by uuid only are recognised with it.</summary>
    public string? AccountUuid { get; init; }

    /// <summary>How to receive (config <c>mode</c>: <c>polling</c>, the default, or <c>websocket</c>).</summary>
    public SignalReceiveMode Mode { get; init; } = SignalReceiveMode.Polling;

    /// <summary>Which group messages are answered (config <c>group_replies</c>: <c>mention</c>, the default, or <c>all</c>).</summary>
    public SignalGroupReplies GroupReplies { get; init; } = SignalGroupReplies.Mention;

    /// <summary>How long one receive call waits for messages (config <c>receive_timeout_seconds</c>, 1–60); default 10 s. Polling only.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The timeout of one REST call beyond the receive wait (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest text sent in one message; longer replies are split (Signal clients turn texts over 2000 characters into attachments).</summary>
    public int MaxMessageLength { get; init; } = 2000;

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field and its constraint; empty when valid.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static SignalOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var reader = new ConfigReader(config, "config", problems);
        reader.RejectUnknownKeys(KnownKeys);
        var options = new SignalOptions
        {
            ReceiveTimeout = TimeSpan.FromSeconds(reader.Int("receive_timeout_seconds", 10, 1, 60)),
            RequestTimeout = TimeSpan.FromSeconds(reader.Int("request_timeout_seconds", 30, 1, 300)),
        };

        if (reader.String("api_base_url") is null)
            problems.Add("config.api_base_url: required; the URL of your signal-cli-rest-api server, for example http://signal-api:8080");
        else
            options = options with { ApiBaseUrl = reader.HttpUrl("api_base_url", "http://localhost:8080") };

        var number = reader.String("number");
        if (number is null)
            problems.Add("config.number: required; the bot's Signal number registered or linked in signal-cli-rest-api, in E.164 form such as +4915112345678");
        else if (!E164().IsMatch(number))
            problems.Add($"config.number: must be a phone number in E.164 form, + and 7–15 digits, such as +4915112345678 (got '{number}')");
        else
            options = options with { Number = number };

        if (reader.String("account_uuid") is { } uuid)
        {
            if (Guid.TryParse(uuid, out _))
                options = options with { AccountUuid = uuid.ToLowerInvariant() };
            else
                problems.Add($"config.account_uuid: must be the bot account's ACI, a uuid such as 1f0e2c1a-…; see GET /v1/identities or leave it out (got '{uuid}')");
        }

        switch (reader.String("mode")?.ToLowerInvariant())
        {
            case null or "polling":
                break;
            case "websocket":
                options = options with { Mode = SignalReceiveMode.WebSocket };
                break;
            case var other:
                problems.Add($"config.mode: must be polling (signal-cli-rest-api MODE=normal or native) or websocket (MODE=json-rpc) (got '{other}')");
                break;
        }

        switch (reader.String("group_replies")?.ToLowerInvariant())
        {
            case null or "mention":
                break;
            case "all":
                options = options with { GroupReplies = SignalGroupReplies.All };
                break;
            case var other:
                problems.Add($"config.group_replies: must be mention (answer group messages that mention the bot) or all (got '{other}')");
                break;
        }

        errors = problems;
        return options;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
