using ClawScale.Plugins.Agents;

namespace ThrowingPlugin;

public sealed class ThrowingAgentFactory : IAgentBackendFactory
{
    public ThrowingAgentFactory() => throw new InvalidOperationException("boom from the factory constructor");

    public string Kind => "test-throws";

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IAgentBackend Create(AgentContext context) => throw new NotSupportedException();
}
