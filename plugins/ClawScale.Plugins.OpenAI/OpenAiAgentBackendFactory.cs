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
