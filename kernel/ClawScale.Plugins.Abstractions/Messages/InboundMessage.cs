namespace ClawScale.Plugins.Messages;

/// <summary>
/// The canonical form of a message received from a platform, produced by a channel adapter's mapper.
/// The kernel deduplicates on (channel, <see cref="ProviderMessageId"/>), so the id must be stable across
/// platform retries (for example Telegram's <c>update_id</c>, Slack's <c>event_id</c>).
/// </summary>
public sealed record InboundMessage
{
    /// <summary>The platform's unique id of this message or event within the channel; the deduplication key.</summary>
    public required string ProviderMessageId { get; init; }

    /// <summary>The platform's chat id (Telegram <c>chat.id</c>, Slack channel id, Discord channel id).</summary>
    public required string ExternalChatId { get; init; }

    /// <summary>The platform's thread id (Telegram <c>message_thread_id</c>, Slack <c>thread_ts</c>), or <see langword="null"/>.</summary>
    public string? ExternalThreadId { get; init; }

    /// <summary>Who wrote it.</summary>
    public required ExternalUser Sender { get; init; }

    /// <summary>Direct or group chat.</summary>
    public ChatKind ChatKind { get; init; } = ChatKind.Direct;

    /// <summary>
    /// Whether the message is addressed to the bot: always in direct chats; in groups when it mentions the bot or
    /// replies to it. The kernel answers group messages only when this is true.
    /// </summary>
    public bool AddressedToBot { get; init; } = true;

    /// <summary>The text, with platform markup removed where the adapter can, or <see langword="null"/>.</summary>
    public string? Text { get; init; }

    /// <summary>Files sent with the message.</summary>
    public IReadOnlyList<MessageAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// The platform's id of the user's message itself (used to quote it in the reply), when it differs from
    /// <see cref="ProviderMessageId"/>; otherwise <see langword="null"/>.
    /// </summary>
    public string? PlatformMessageId { get; init; }

    /// <summary>When the platform says the message was sent (UTC).</summary>
    public DateTimeOffset SentAt { get; init; }

    /// <summary>Adapter-specific values carried to the outbound side (for example a Discord interaction token).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
