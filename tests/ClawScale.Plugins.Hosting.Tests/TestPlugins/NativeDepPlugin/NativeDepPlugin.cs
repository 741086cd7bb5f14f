using System.Runtime.CompilerServices;
using System.Text;
using ClawScale.Plugins.Agents;
using NSec.Cryptography;

namespace NativeDepPlugin;

public sealed class NativeDepAgentFactory : IAgentBackendFactory
{
    public string Kind => "test-native";

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IAgentBackend Create(AgentContext context) => new SigningAgent();
}

/// <summary>Signs the message with Ed25519 (libsodium through NSec) and answers whether the signature verifies.</summary>
public sealed class SigningAgent : IAgentBackend
{
    public async IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var algorithm = SignatureAlgorithm.Ed25519;
        using var key = Key.Create(algorithm);
        var data = Encoding.UTF8.GetBytes(turn.Message.Text);
        var signature = algorithm.Sign(key, data);
        yield return new AgentReply($"ed25519:{signature.Length}:{algorithm.Verify(key.PublicKey, data, signature)}");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
