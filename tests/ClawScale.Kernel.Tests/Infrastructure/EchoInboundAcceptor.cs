using ClawScale.Kernel.Pipeline.Accept;
using System.Collections.Concurrent;
using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Pipeline;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>
/// Stands in for ACCEPT + DISPATCH + DELIVER until they exist: records each message, deduplicates on
/// (channel, provider message id), and answers a new message at once through the channel adapter's SendAsync with
/// <c>echo: {text}</c>, as an echo agent would.
/// </summary>
internal sealed class EchoInboundAcceptor : IInboundAcceptor
{
    private readonly ConcurrentDictionary<(string ChannelId, string ProviderMessageId), bool> _seen = new();

    /// <summary>Every message given to <see cref="AcceptAsync"/> that was not a duplicate, in order.</summary>
    public ConcurrentQueue<(ChannelHandle Channel, InboundMessage Message)> Accepted { get; } = new();

    public async Task<AcceptResult> AcceptAsync(ChannelHandle channel, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        int accepted = 0, duplicates = 0;
        var turns = new List<string>();
        foreach (var message in messages)
        {
            if (!_seen.TryAdd((channel.ChannelId, message.ProviderMessageId), true))
            {
                duplicates++;
                continue;
            }

            accepted++;
            Accepted.Enqueue((channel, message));
            var turnId = Guid.NewGuid().ToString();
            turns.Add(turnId);
            await channel.Adapter.SendAsync(new OutboundMessage
            {
                DeliveryId = "d-" + turnId,
                IdempotencyKey = "turn:" + turnId,
                ExternalChatId = message.ExternalChatId,
                ExternalThreadId = message.ExternalThreadId,
                Text = "echo: " + message.Text,
            }, cancellationToken);
        }

        return new AcceptResult(accepted, duplicates, 0, turns, 0);
    }
}
