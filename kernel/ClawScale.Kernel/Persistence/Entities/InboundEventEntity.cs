namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>inbound_events</c>, deduplicated on (channel, provider message id).</summary>
internal sealed class InboundEventEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ChannelId { get; set; }
    public required string ProviderMessageId { get; set; }
    public string? ConversationId { get; set; }
    public string? TurnId { get; set; }
    /// <summary>The canonical inbound message as JSON.</summary>
    public string PayloadJson { get; set; } = "{}";
    public DateTime ReceivedAt { get; set; }
}
