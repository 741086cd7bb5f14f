using ClawScale.Plugins.Agents;

namespace ClawScale.Plugins.OpenAI;

/// <summary>
/// The <c>openai</c> agent plugin: answers turns with any OpenAI-compatible Chat Completions API (OpenAI,
/// OpenRouter, Ollama, vLLM, LM Studio). See <see cref="OpenAiOptions"/> for the settings.
/// </summary>
public sealed class OpenAiAgentBackendFactory : IAgentBackendFactory
{
    /// <inheritdoc />
    public string Kind => "openai";

    /// <summary>
    /// <c>["base_url"]</c>: the API that receives <c>Authorization: Bearer &lt;api_key&gt;</c>. Changing it needs
    /// <c>credentials.api_key</c> again in the same UpdateAgent call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("model", "Model") { Required = true, Help = "The model name, for example gpt-4o-mini (or llama3.2 for Ollama)." },
        new("api_key", "API key") { Secret = true, Help = "Sent as Authorization: Bearer; may be empty for a loopback server." },
        new("system_prompt", "System prompt") { Help = "Sent first as a system message." },
        new("base_url", "Base URL") { Help = "An OpenAI-compatible API; default https://api.openai.com/v1." },
        new("history_window", "History window") { Help = "Earlier messages sent with each turn, 0 to 200; default 20." },
        new("temperature", "Temperature") { Help = "0 to 2; empty for the provider's default." },
        new("max_tokens", "Max tokens") { Help = "Answer length limit, 1 to 1000000; empty for none." },
        new("timeout_seconds", "Timeout (s)") { Help = "1 to 600; default 60." },
        new("stream", "Stream") { Choices = ["true", "false"], Help = "Stream the answer; default true." },
    ];

    /// <inheritdoc />
    /// <remarks>Reports a missing <c>config.model</c>, a missing <c>credentials.api_key</c> (unless <c>base_url</c>
    /// is a loopback URL), out-of-range numbers, a malformed <c>base_url</c> and unknown keys.</remarks>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        OpenAiOptions.Parse(config, credentials, out var problems);
        return problems;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The config is invalid (the kernel validates before creating).</exception>
    public IAgentBackend Create(AgentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = OpenAiOptions.Parse(context.Config, context.Credentials, out var problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid openai agent configuration: " + string.Join("; ", problems), nameof(context));
        }

        return new OpenAiAgentBackend(options, context);
    }
}
