namespace ClawScale.Plugins.Messages;

/// <summary>
/// A message the kernel asks a channel adapter to send to an exact delivery route.
/// </summary>
public sealed record OutboundMessage
{
    /// <summary>The kernel's delivery id; stable across retries of the same delivery.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>
    /// The delivery's idempotency key, unique per tenant. Adapters for platforms that accept one (for example a
    /// client message id) should pass it so that a retry after an unknown outcome is not shown twice.
    /// </summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The platform's chat id to send to.</summary>
    public required string ExternalChatId { get; init; }

    /// <summary>The platform's thread id to send into, or <see langword="null"/>.</summary>
    public string? ExternalThreadId { get; init; }

    /// <summary>The text to send, or <see langword="null"/> when only attachments are sent.</summary>
    public string? Text { get; init; }

    /// <summary>Files to send.</summary>
    public IReadOnlyList<MessageAttachment> Attachments { get; init; } = [];

    /// <summary>The platform's id of the user message to quote as a reply, or <see langword="null"/>.</summary>
    public string? ReplyToPlatformMessageId { get; init; }

    /// <summary>The 1-based attempt number of this delivery.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Adapter-specific values carried from the inbound message (see <see cref="InboundMessage.Properties"/>).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
