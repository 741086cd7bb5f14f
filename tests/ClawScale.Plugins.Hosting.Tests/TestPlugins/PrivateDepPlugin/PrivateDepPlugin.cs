using System.Runtime.CompilerServices;
using ClawScale.Plugins.Agents;

namespace PrivateDepPlugin;

public sealed class PrivateDepAgentFactory : IAgentBackendFactory
{
    public string Kind => "test-private-dep";

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IAgentBackend Create(AgentContext context) => new VersionAgent();
}

public sealed class VersionAgent : IAgentBackend
{
    public async IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new AgentReply(VersionedDep.Marker.AssemblyVersion);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
