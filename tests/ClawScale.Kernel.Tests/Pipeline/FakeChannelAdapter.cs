using System.Collections.Concurrent;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>A channel adapter that records every send and answers as scripted per external chat id (default: delivered).</summary>
internal sealed class FakeChannelAdapter : IChannelAdapter
{
    /// <summary>A recorded send.</summary>
    public sealed record Sent(OutboundMessage Message, DateTimeOffset At);

    public ConcurrentQueue<Sent> Sends { get; } = new();

    /// <summary>Scripts by external chat id; absent: delivered with provider id <c>pm-{delivery id}</c>.</summary>
    public ConcurrentDictionary<string, Func<OutboundMessage, CancellationToken, ValueTask<SendResult>>> Scripts { get; } = new();

    public bool UsesListener => false;

    public IReadOnlyList<Sent> SendsTo(string chatId) => Sends.Where(s => s.Message.ExternalChatId == chatId).ToList();

    public int SendCount(string deliveryId) => Sends.Count(s => s.Message.DeliveryId == deliveryId);

    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        Sends.Enqueue(new Sent(message, TimeProvider.System.GetUtcNow()));
        return Scripts.TryGetValue(message.ExternalChatId, out var script)
            ? await script(message, cancellationToken)
            : SendResult.Delivered("pm-" + message.DeliveryId);
    }

    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask ConnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
