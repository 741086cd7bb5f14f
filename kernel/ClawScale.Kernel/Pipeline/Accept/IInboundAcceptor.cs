using ClawScale.Kernel.Channels;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Pipeline.Accept;

/// <summary>
/// The ACCEPT stage: in one transaction per call, deduplicates on (channel, provider message id), resolves or
/// provisions the Customer, upserts the DeliveryRoute and Conversation, stores the user Message, the InboundEvent and
/// a Turn for the bound agent. When it returns, everything is durable and the platform may be acknowledged.
/// Messages from bots and group messages not addressed to the bot are ignored (nothing stored).
/// </summary>
internal interface IInboundAcceptor
{
    /// <summary>Accepts <paramref name="messages"/> of <paramref name="channel"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is guaranteed stored.</exception>
    Task<AcceptResult> AcceptAsync(ChannelHandle channel, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IInboundAcceptor.AcceptAsync"/> did.</summary>
/// <param name="Accepted">Messages stored with a turn.</param>
/// <param name="Duplicates">Messages seen before (same channel and provider message id).</param>
/// <param name="Ignored">Messages from bots, not addressed to the bot, or over the sender's rate limit.</param>
/// <param name="TurnIds">The turns created, in order.</param>
/// <param name="SenderLimited">Of <paramref name="Ignored"/>, the messages refused by the per-sender inbound limit
/// (<see cref="PipelineOptions.SenderMessagesPerMinute"/>); nothing of them is stored.</param>
internal sealed record AcceptResult(int Accepted, int Duplicates, int Ignored, IReadOnlyList<string> TurnIds, int SenderLimited);
