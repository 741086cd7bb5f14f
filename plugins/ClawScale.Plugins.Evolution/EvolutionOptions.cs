using System.Text.RegularExpressions;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Evolution;

/// <summary>
/// An Evolution API channel's settings, parsed from its <c>config</c> map. Keys: <c>base_url</c> (required),
/// <c>instance</c> (required), <c>bot_jids</c>, <c>quote_in_groups</c>, <c>request_timeout_seconds</c>.
/// </summary>
public sealed partial record EvolutionOptions
{
    /// <summary>The longest text of one sent message; longer answers are split (WhatsApp shows very long texts poorly).</summary>
    public const int MaxTextLength = 4096;

    /// <summary>The Evolution API server (config <c>base_url</c>, for example https://evolution.example.com).</summary>
    public Uri BaseUrl { get; init; } = new("http://localhost:8080");

    /// <summary>The instance's name (config <c>instance</c>), as created with <c>/instance/create</c>.</summary>
    public string Instance { get; init; } = string.Empty;

    /// <summary>
    /// More JIDs that mean "the bot" in mentions and replies (config <c>bot_jids</c>, comma-separated), besides the
    /// instance's own number that Evolution sends as <c>sender</c> with every event: for example the bot's
    /// <c>…@lid</c> id, which WhatsApp uses for mentions in groups with hidden numbers.
    /// </summary>
    public IReadOnlyList<string> BotJids { get; init; } = [];

    /// <summary>Whether answers in groups quote the message they answer (config <c>quote_in_groups</c>); default true.</summary>
    public bool QuoteInGroups { get; init; } = true;

    /// <summary>The timeout of one API call (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="problems">Where problems are added, each naming its field.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static EvolutionOptions Parse(IReadOnlyDictionary<string, string> config, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reader = new ConfigReader(config, "config", problems);
        var baseUrl = reader.RequiredString("base_url", "the Evolution API server's URL, for example https://evolution.example.com");
        var uri = new Uri("http://localhost:8080");
        if (baseUrl.Length > 0)
            uri = reader.HttpUrl("base_url", "https://evolution.example.com");
        var instance = reader.RequiredString("instance", "the instance name given to /instance/create");
        if (instance.Length > 0 && !InstanceRegex().IsMatch(instance))
            problems.Add($"config.instance: must be an instance name of letters, digits, '-', '_', '.' or spaces, at most 100 characters (got '{instance}')");
        var jids = (reader.String("bot_jids") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var jid in jids.Where(j => !j.Contains('@', StringComparison.Ordinal)))
            problems.Add($"config.bot_jids: '{jid}' is not a JID such as 5511999999999@s.whatsapp.net or 123456789012345@lid");
        return new EvolutionOptions
        {
            BaseUrl = uri,
            Instance = instance,
            BotJids = jids,
            QuoteInGroups = reader.Bool("quote_in_groups", true),
            RequestTimeout = TimeSpan.FromSeconds(reader.Int("request_timeout_seconds", 30, 1, 300)),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_. -]{1,100}$")]
    private static partial Regex InstanceRegex();
}
