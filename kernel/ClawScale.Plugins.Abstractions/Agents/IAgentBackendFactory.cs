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

    /// <summary>Creates the backend of one agent.</summary>
    /// <param name="context">The agent and host services.</param>
    /// <returns>The backend; the kernel disposes it.</returns>
    IAgentBackend Create(AgentContext context);
}
