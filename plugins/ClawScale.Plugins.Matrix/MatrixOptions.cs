using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Matrix;

/// <summary>
/// A Matrix channel's settings, parsed and validated from the channel's <c>config</c> map. Keys: <c>homeserver_url</c>
/// (required), <c>auto_join</c>, <c>group_replies</c>, <c>display_name</c>, <c>sync_timeout_seconds</c>,
/// <c>request_timeout_seconds</c>.
/// </summary>
public sealed record MatrixOptions
{
    /// <summary>Every config key this plugin reads.</summary>
    public static readonly IReadOnlyCollection<string> KnownKeys =
        ["homeserver_url", "auto_join", "group_replies", "display_name", "sync_timeout_seconds", "request_timeout_seconds"];

    /// <summary>The homeserver's client-server API base (config <c>homeserver_url</c>, required), for example https://matrix.example.org.</summary>
    public Uri HomeserverUrl { get; init; } = new("https://matrix.example.org");

    /// <summary>Whether invites are accepted automatically (config <c>auto_join</c>, default false).</summary>
    public bool AutoJoin { get; init; }

    /// <summary>Whether every message in rooms with more than two members is answered (config <c>group_replies</c>
    /// <c>all</c>) or only those that mention the bot (<c>mention</c>, the default).</summary>
    public bool AnswerAllGroupMessages { get; init; }

    /// <summary>The bot's display name to look for in message bodies (config <c>display_name</c>); default: read from the profile at connect.</summary>
    public string? DisplayName { get; init; }

    /// <summary>How long one <c>/sync</c> waits for events (config <c>sync_timeout_seconds</c>, 0–120); default 30 s.</summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of one call beyond the sync wait (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest body sent in one event; longer replies are split.</summary>
    public int MaxMessageLength { get; init; } = 16000;

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found; empty when valid.</param>
    /// <returns>The options.</returns>
    public static MatrixOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var reader = new ConfigReader(config, "config", problems);
        reader.RejectUnknownKeys(KnownKeys);
        var options = new MatrixOptions
        {
            AutoJoin = reader.Bool("auto_join", false),
            DisplayName = reader.String("display_name"),
            SyncTimeout = TimeSpan.FromSeconds(reader.Int("sync_timeout_seconds", 30, 0, 120)),
            RequestTimeout = TimeSpan.FromSeconds(reader.Int("request_timeout_seconds", 30, 1, 300)),
        };
        if (reader.String("homeserver_url") is null)
            problems.Add("config.homeserver_url: required; the homeserver's client-server API URL, for example https://matrix.example.org (see https://<your server>/.well-known/matrix/client)");
        else
            options = options with { HomeserverUrl = reader.HttpUrl("homeserver_url", "https://matrix.example.org") };
        switch (reader.String("group_replies")?.ToLowerInvariant())
        {
            case null or "mention":
                break;
            case "all":
                options = options with { AnswerAllGroupMessages = true };
                break;
            case var other:
                problems.Add($"config.group_replies: must be mention (answer messages in rooms of more than two members only when they mention the bot) or all (got '{other}')");
                break;
        }

        errors = problems;
        return options;
    }
}
