using ClawScale.Plugins.Agents;

namespace ClawScale.Plugins.Echo;

/// <summary>
/// The <c>echo</c> agent plugin: answers every message with its own text (<c>"echo: hello"</c>) and the number of
/// attachments received. Calls no provider; meant for demos, smoke tests and tests of multi-message turns.
/// </summary>
public sealed class EchoAgentBackendFactory : IAgentBackendFactory
{
    /// <inheritdoc />
    public string Kind => "echo";

    /// <summary>None: the echo agent sends nothing anywhere.</summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = [];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("prefix", "Prefix") { Help = "Put before the echoed text; default \"echo: \"." },
        new("reply_count", "Replies") { Help = "Replies per message, 1 to 5; default 1." },
        new("delay_ms", "Delay (ms)") { Help = "Wait before answering, 0 to 60000; default 0." },
    ];

    /// <inheritdoc />
    /// <remarks>Checks <c>reply_count</c> (1–5), <c>delay_ms</c> (0–60000) and that no unknown key is set.</remarks>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        EchoOptions.Parse(config, out var problems);
        return problems;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The config is invalid (the kernel validates before creating).</exception>
    public IAgentBackend Create(AgentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = EchoOptions.Parse(context.Config, out var problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid echo agent configuration: " + string.Join("; ", problems), nameof(context));
        }

        return new EchoAgentBackend(options, context);
    }
}
