using System.Globalization;
using System.Net;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.OpenAI;

/// <summary>
/// The validated settings of an <c>openai</c> agent: any server implementing the OpenAI Chat Completions API
/// (<c>POST {base_url}/chat/completions</c>, OpenAI API reference "Chat › Create chat completion").
/// </summary>
public sealed record OpenAiOptions
{
    /// <summary>The default <c>base_url</c>.</summary>
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    /// <summary>The config keys this plugin understands.</summary>
    public static readonly IReadOnlyList<string> Keys =
        ["base_url", "model", "system_prompt", "history_window", "timeout_seconds", "temperature", "max_tokens", "stream"];

    /// <summary>API root without trailing slash (config <c>base_url</c>, default <c>https://api.openai.com/v1</c>; OpenRouter <c>https://openrouter.ai/api/v1</c>, Ollama <c>http://localhost:11434/v1</c>).</summary>
    public Uri BaseUrl { get; init; } = new(DefaultBaseUrl);

    /// <summary>The model name sent as <c>model</c> (config <c>model</c>, required).</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>Sent first as a <c>system</c> message (config <c>system_prompt</c>), or <see langword="null"/>.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>How many of the latest history messages are sent (config <c>history_window</c>, 0–200, default 20).</summary>
    public int HistoryWindow { get; init; } = 20;

    /// <summary>Deadline of the whole call including the retry (config <c>timeout_seconds</c>, 1–600, default 60).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Sampling temperature (config <c>temperature</c>, 0–2), or <see langword="null"/> for the provider's default.</summary>
    public double? Temperature { get; init; }

    /// <summary>Answer length limit in tokens sent as <c>max_tokens</c> (config <c>max_tokens</c>, 1–1000000), or <see langword="null"/>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Whether to ask for a streamed (SSE) answer (config <c>stream</c>, default true).</summary>
    public bool Stream { get; init; } = true;

    /// <summary>The key sent as <c>Authorization: Bearer</c> (credential <c>api_key</c>), or <see langword="null"/> for a loopback server.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Parses and validates an openai agent's config and credentials.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings (<c>api_key</c>).</param>
    /// <param name="problems">Every problem found, each naming its field (<c>config.model</c>, <c>credentials.api_key</c>); empty when valid.</param>
    /// <returns>The options; use them only when <paramref name="problems"/> is empty.</returns>
    public static OpenAiOptions Parse(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials, out IReadOnlyList<string> problems)
    {
        var list = new List<string>();
        var reader = new ConfigReader(config, "config", list);
        var secrets = new ConfigReader(credentials, "credentials", list, secret: true);
        var baseUrl = reader.HttpUrl("base_url", DefaultBaseUrl);
        var options = new OpenAiOptions
        {
            BaseUrl = baseUrl,
            Model = reader.RequiredString("model", "the model name, for example gpt-4o-mini (or llama3.2 for Ollama)"),
            SystemPrompt = reader.String("system_prompt"),
            HistoryWindow = reader.Int("history_window", 20, 0, 200),
            Timeout = TimeSpan.FromSeconds(reader.Int("timeout_seconds", 60, 1, 600)),
            Temperature = reader.OptionalDouble("temperature", 0, 2),
            MaxTokens = reader.OptionalInt("max_tokens", 1, 1_000_000),
            Stream = reader.Bool("stream", true),
            ApiKey = IsLoopback(baseUrl)
                ? secrets.String("api_key")
                : secrets.RequiredString("api_key", "the provider's API key (only a localhost base_url, such as Ollama's, may go without one)"),
        };
        reader.RejectUnknownKeys([.. Keys]);
        problems = list;
        return options;
    }

    /// <summary>The settings without the API key.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"OpenAiOptions {{ BaseUrl = {BaseUrl}, Model = {Model}, HistoryWindow = {HistoryWindow}, Timeout = {Timeout}, Stream = {Stream}, ApiKey = {(ApiKey is null ? "none" : "set")} }}");

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
