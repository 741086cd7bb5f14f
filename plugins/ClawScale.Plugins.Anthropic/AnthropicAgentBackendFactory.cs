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
