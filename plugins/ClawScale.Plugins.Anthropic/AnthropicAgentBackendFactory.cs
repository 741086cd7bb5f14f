using ClawScale.Plugins.Agents;

namespace ClawScale.Plugins.Anthropic;

/// <summary>
/// The <c>anthropic</c> agent plugin: answers turns with the Anthropic Messages API. See
/// <see cref="AnthropicOptions"/> for the settings.
/// </summary>
public sealed class AnthropicAgentBackendFactory : IAgentBackendFactory
{
    /// <inheritdoc />
    public string Kind => "anthropic";

    /// <summary>
    /// <c>["base_url"]</c>: the API that receives <c>x-api-key: &lt;api_key&gt;</c>. Changing it needs
    /// <c>credentials.api_key</c> again in the same UpdateAgent call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("model", "Model") { Required = true, Help = "The model name, for example claude-sonnet-4-5." },
        new("api_key", "API key") { Required = true, Secret = true, Help = "The Anthropic API key (sk-ant-…) from console.anthropic.com." },
        new("system_prompt", "System prompt") { Help = "Sent as the top-level system parameter." },
        new("base_url", "Base URL") { Help = "Default https://api.anthropic.com." },
        new("history_window", "History window") { Help = "Earlier messages sent with each turn, 0 to 200; default 20." },
        new("max_tokens", "Max tokens") { Help = "1 to 1000000; default 1024." },
        new("timeout_seconds", "Timeout (s)") { Help = "1 to 600; default 60." },
        new("stream", "Stream") { Choices = ["true", "false"], Help = "Stream the answer; default true." },
    ];

    /// <inheritdoc />
    /// <remarks>Reports a missing <c>config.model</c> or <c>credentials.api_key</c>, out-of-range numbers, a
    /// malformed <c>base_url</c> and unknown keys.</remarks>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        AnthropicOptions.Parse(config, credentials, out var problems);
        return problems;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The config is invalid (the kernel validates before creating).</exception>
    public IAgentBackend Create(AgentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = AnthropicOptions.Parse(context.Config, context.Credentials, out var problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid anthropic agent configuration: " + string.Join("; ", problems), nameof(context));
        }

        return new AnthropicAgentBackend(options, context);
    }
}
