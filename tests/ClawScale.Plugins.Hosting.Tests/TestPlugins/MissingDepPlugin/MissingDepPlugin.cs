using ClawScale.Plugins.Agents;

namespace MissingDepPlugin;

public sealed class MissingDepAgentFactory : IAgentBackendFactory
{
    private readonly MissingDepHelper.Helper _helper = new();

    public string Kind => _helper.Kind;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IAgentBackend Create(AgentContext context) => throw new NotSupportedException();
}
