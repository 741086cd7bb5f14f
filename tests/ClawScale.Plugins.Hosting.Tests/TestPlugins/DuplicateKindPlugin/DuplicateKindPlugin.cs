using ClawScale.Plugins.Agents;

namespace DuplicateKindPlugin;

public sealed class SecondEchoAgentFactory : IAgentBackendFactory
{
    public string Kind => "test-echo";

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IAgentBackend Create(AgentContext context) => throw new NotSupportedException();
}
