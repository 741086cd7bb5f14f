using System.Globalization;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Anthropic;

/// <summary>
/// The validated settings of an <c>anthropic</c> agent, calling the Anthropic Messages API
/// (<c>POST {base_url}/v1/messages</c>, Anthropic API reference "Messages", <c>anthropic-version: 2023-06-01</c>).
/// </summary>
public sealed record AnthropicOptions
{
    /// <summary>The default <c>base_url</c>.</summary>
    public const string DefaultBaseUrl = "https://api.anthropic.com";

    /// <summary>The config keys this plugin understands.</summary>
    public static readonly IReadOnlyList<string> Keys =
        ["base_url", "model", "system_prompt", "history_window", "max_tokens", "timeout_seconds", "stream"];

    /// <summary>API root without trailing slash and without <c>/v1</c> (config <c>base_url</c>, default <c>https://api.anthropic.com</c>).</summary>
    public Uri BaseUrl { get; init; } = new(DefaultBaseUrl);

    /// <summary>The model name sent as <c>model</c> (config <c>model</c>, required), for example <c>claude-sonnet-4-5</c>.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>Sent as the top-level <c>system</c> parameter (config <c>system_prompt</c>), or <see langword="null"/>.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>How many of the latest history messages are considered (config <c>history_window</c>, 0–200, default 20).</summary>
    public int HistoryWindow { get; init; } = 20;

    /// <summary>The required <c>max_tokens</c> answer limit in tokens (config <c>max_tokens</c>, 1–1000000, default 1024).</summary>
    public int MaxTokens { get; init; } = 1024;

    /// <summary>Deadline of the whole call including the retry (config <c>timeout_seconds</c>, 1–600, default 60).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether to ask for a streamed (SSE) answer (config <c>stream</c>, default true).</summary>
    public bool Stream { get; init; } = true;

    /// <summary>The key sent as <c>x-api-key</c> (credential <c>api_key</c>, required).</summary>
    public string ApiKey { get; init; } = string.Empty;

    /// <summary>Parses and validates an anthropic agent's config and credentials.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings (<c>api_key</c>).</param>
    /// <param name="problems">Every problem found, each naming its field (<c>config.model</c>, <c>credentials.api_key</c>); empty when valid.</param>
    /// <returns>The options; use them only when <paramref name="problems"/> is empty.</returns>
    public static AnthropicOptions Parse(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials, out IReadOnlyList<string> problems)
    {
        var list = new List<string>();
        var reader = new ConfigReader(config, "config", list);
        var secrets = new ConfigReader(credentials, "credentials", list, secret: true);
        var options = new AnthropicOptions
        {
            BaseUrl = reader.HttpUrl("base_url", DefaultBaseUrl),
            Model = reader.RequiredString("model", "the model name, for example claude-sonnet-4-5"),
            SystemPrompt = reader.String("system_prompt"),
            HistoryWindow = reader.Int("history_window", 20, 0, 200),
            MaxTokens = reader.Int("max_tokens", 1024, 1, 1_000_000),
            Timeout = TimeSpan.FromSeconds(reader.Int("timeout_seconds", 60, 1, 600)),
            Stream = reader.Bool("stream", true),
            ApiKey = secrets.RequiredString("api_key", "the Anthropic API key (sk-ant-…) from console.anthropic.com"),
        };
        reader.RejectUnknownKeys([.. Keys]);
        problems = list;
        return options;
    }

    /// <summary>The settings without the API key.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"AnthropicOptions {{ BaseUrl = {BaseUrl}, Model = {Model}, HistoryWindow = {HistoryWindow}, MaxTokens = {MaxTokens}, Timeout = {Timeout}, Stream = {Stream}, ApiKey = {(ApiKey.Length == 0 ? "none" : "set")} }}");
}
