using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Echo;

/// <summary>The validated settings of an <c>echo</c> agent.</summary>
public sealed record EchoOptions
{
    /// <summary>The config keys this plugin understands.</summary>
    public static readonly IReadOnlyList<string> Keys = ["prefix", "reply_count", "delay_ms"];

    /// <summary>Text put before the echoed message (config <c>prefix</c>, default <c>"echo: "</c>; used as given, not trimmed).</summary>
    public string Prefix { get; init; } = "echo: ";

    /// <summary>How many reply messages each turn produces (config <c>reply_count</c>, 1–5, default 1).</summary>
    public int ReplyCount { get; init; } = 1;

    /// <summary>Wait before each reply, on the agent's <see cref="TimeProvider"/> (config <c>delay_ms</c>, milliseconds, 0–60000, default 0).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>Parses and validates an echo agent's config; credentials are ignored.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="problems">Every problem found, each naming its field; empty when valid.</param>
    /// <returns>The options (defaults where a value was invalid); use them only when <paramref name="problems"/> is empty.</returns>
    public static EchoOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> problems)
    {
        var list = new List<string>();
        var reader = new ConfigReader(config, "config", list);
        var options = new EchoOptions
        {
            Prefix = reader.Raw("prefix") ?? "echo: ",
            ReplyCount = reader.Int("reply_count", 1, 1, 5),
            Delay = TimeSpan.FromMilliseconds(reader.Int("delay_ms", 0, 0, 60_000)),
        };
        reader.RejectUnknownKeys([.. Keys]);
        problems = list;
        return options;
    }
}
