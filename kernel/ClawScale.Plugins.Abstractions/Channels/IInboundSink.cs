using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Channels;

/// <summary>
/// The kernel's ACCEPT stage, as seen by a listener (long-poll or WebSocket). When
/// <see cref="AcceptAsync"/> returns, the messages are durable (deduplicated, stored with their turns), so the
/// listener may acknowledge them to the platform (for example advance Telegram's <c>getUpdates</c> offset).
/// </summary>
public interface IInboundSink
{
    /// <summary>Accepts messages durably. Duplicates (same provider message id) are ignored.</summary>
    /// <param name="messages">Messages in the order the platform gave them.</param>
    /// <param name="cancellationToken">Cancels the call; on cancellation nothing is guaranteed stored.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask AcceptAsync(IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken);
}
