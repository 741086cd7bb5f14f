using ClawScale.Plugins.Agents;

namespace ClawScale.Plugins.Template;

/// <summary>
/// The plugin's entry point for the agent kind <c>template-upper</c>. The plugin host instantiates every public,
/// non-abstract class implementing <see cref="IAgentBackendFactory"/> that has a public parameterless constructor, once
/// per load of the plugin, and reads <see cref="Kind"/> at load time. Keep the constructor trivial: if it throws, the
/// whole plugin is reported as failed.
/// </summary>
public sealed class TemplateUpperAgentFactory : IAgentBackendFactory
{
    /// <summary>The kind agents are created with (<c>Agent.kind</c> in the API). Lower case, unique across plugins.</summary>
    public string Kind => "template-upper";

    /// <summary>
    /// The config keys that say where this backend sends its credentials (a provider's base URL, a proxy): none here,
    /// since it calls nothing. A backend that calls a remote API lists its URL keys, for example <c>["base_url"]</c>;
    /// the kernel then refuses an UpdateAgent that changes one of them without giving the credentials again, so a
    /// stored API key is never sent to a host an admin merely typed in.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = [];

    /// <summary>
    /// Checks an agent's settings when an admin creates or updates it. This backend accepts one optional setting,
    /// <c>prefix</c> (at most 32 characters), put before every reply; it needs no credentials.
    /// </summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings (unused).</param>
    /// <returns>Every problem found, each naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TryGetValue("prefix", out var prefix) && prefix.Length > 32
            ? ["config.prefix must be at most 32 characters"]
            : [];
    }

    /// <summary>Creates the backend of one configured agent.</summary>
    /// <param name="context">The agent's settings and host services.</param>
    /// <returns>The backend; the kernel disposes it (also before the plugin is reloaded).</returns>
    public IAgentBackend Create(AgentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TemplateUpperAgentBackend(context.Config.GetValueOrDefault("prefix") ?? string.Empty);
    }
}
