using ClawScale.Plugins.Configuration;

namespace ClawScale.Plugins.Agents;

/// <summary>
/// The entry point of an agent plugin. The plugin host finds every public, non-abstract class implementing this
/// interface with a public parameterless constructor in a plugin assembly. <see cref="Kind"/> must be unique.
/// </summary>
public interface IAgentBackendFactory
{
    /// <summary>The agent type, lower case, for example <c>echo</c> or <c>openai</c>; <c>Agent.kind</c> in the API.</summary>
    string Kind { get; }

    /// <summary>
    /// Checks an agent's configuration at CreateAgent/UpdateAgent. Each returned string names the field and what it
    /// must be; empty when valid.
    /// </summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found.</returns>
    IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials);

    /// <summary>
    /// The config keys that say where the backend sends the agent's credentials: the provider's base URL, a proxy,
    /// a runtime's address (for example <c>["base_url"]</c> for OpenAI). Exact, case-sensitive key names; default:
    /// none declared.
    /// </summary>
    /// <remarks>
    /// Credentials are write-only, so the kernel refuses (INVALID_ARGUMENT) an <c>UpdateAgent</c> that changes, sets
    /// or removes one of these keys unless the same call gives every stored credential again; otherwise the stored
    /// API key would be sent to a host the caller chose. The kernel also treats keys named like an endpoint
    /// (<c>endpoint</c>, or ending in <c>url</c>, <c>uri</c>, <c>host</c>, <c>hostname</c>, <c>proxy</c>, <c>server</c>,
    /// <c>address</c>, <c>addr</c>, or their plurals, ignoring case) and keys whose value is an absolute URL as endpoints,
    /// so declare the others here. Read once per call; keep it constant and cheap.
    /// </remarks>
    IReadOnlyCollection<string> EndpointConfigKeys => [];

    /// <summary>
    /// The settings this kind accepts, in the order a form shows them: non-secret <c>config</c> keys and write-only
    /// <c>credentials</c> (<see cref="ConfigField.Secret"/>). Served by <c>AdminService.ListKinds</c> and <c>ListPlugins</c>
    /// and used by the admin console to generate the agent's create/edit form. Default: none declared (the console then
    /// offers free key/value entry). Read once per call; keep it constant and cheap.
    /// </summary>
    IReadOnlyList<ConfigField> ConfigFields => [];

    /// <summary>Creates the backend of one agent.</summary>
    /// <param name="context">The agent and host services.</param>
    /// <returns>The backend; the kernel disposes it.</returns>
    IAgentBackend Create(AgentContext context);
}
