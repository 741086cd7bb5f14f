namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>
/// Row of <c>delivery_routes</c>: the exact (channel, external chat, thread) a reply goes to. Routes created by
/// inbound traffic have no conversation key; a runtime's BindDeliveryRoute creates one row per key (unique per tenant).
/// </summary>
internal sealed class DeliveryRouteEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ChannelId { get; set; }
    public required string ExternalChatId { get; set; }
    public string ExternalThreadId { get; set; } = string.Empty;
    public string? ConversationKey { get; set; }
    public string? CustomerId { get; set; }
    public DateTime CreatedAt { get; set; }
}
