using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using ClawScale.Plugins.Agents;
using Microsoft.Extensions.DependencyInjection;

namespace ShipsAbstractionsPlugin;

public sealed class ShipsAbstractionsAgentFactory : IAgentBackendFactory
{
    public string Kind => "test-ships-abstractions";

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IAgentBackend Create(AgentContext context) => new WhereAgent();
}

/// <summary>Answers which load context serves Microsoft.Extensions.DependencyInjection.Abstractions to this plugin, and its version.</summary>
public sealed class WhereAgent : IAgentBackend
{
    public async IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var assembly = typeof(ServiceDescriptor).Assembly;
        var context = AssemblyLoadContext.GetLoadContext(assembly) == AssemblyLoadContext.Default ? "default" : "plugin";
        yield return new AgentReply($"{context}:{assembly.GetName().Version}");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
