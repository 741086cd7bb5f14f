using System.Runtime.CompilerServices;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;

namespace GoodPlugin;

public static class Behaviour
{
#if VARIANT2
    public const string Variant = "v2";
#else
    public const string Variant = "v1";
#endif
}

public sealed class LoopChannelFactory : IChannelAdapterFactory
{
    public string Kind => "test-loop";

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) =>
        config.ContainsKey("token") ? [] : ["config.token is required"];

    public IChannelAdapter Create(ChannelContext context) => new LoopChannelAdapter();
}

public sealed class LoopChannelAdapter : IChannelAdapter
{
    public bool UsesListener => false;

    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(WebhookResult.Ignore(Behaviour.Variant));

    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask ConnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SendResult.Delivered($"{Behaviour.Variant}:{message.Text}"));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class EchoAgentFactory : IAgentBackendFactory
{
    public string Kind => "test-echo";

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IAgentBackend Create(AgentContext context) => new EchoAgent();
}

public sealed class EchoAgent : IAgentBackend
{
    public async IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new AgentReply($"{Behaviour.Variant}:{turn.Message.Text}");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
