namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>inbound_events</c>, deduplicated on (channel, provider message id).</summary>
internal sealed class InboundEventEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ChannelId { get; set; }
    public required string ProviderMessageId { get; set; }
    /// <summary>
    /// The conversation, on events stored by kernels before issue 15; null on newer ones, whose conversation is the
    /// one of <see cref="TurnId"/>'s turn (ACCEPT no longer writes each event twice).
    /// </summary>
    public string? ConversationId { get; set; }
    public string? TurnId { get; set; }
    /// <summary>The canonical inbound message as JSON.</summary>
    public string PayloadJson { get; set; } = "{}";
    public DateTime ReceivedAt { get; set; }
}
