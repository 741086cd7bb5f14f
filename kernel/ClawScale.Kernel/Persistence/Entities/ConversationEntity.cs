namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>conversations</c>: (channel, external chat, thread, customer) is unique.</summary>
internal sealed class ConversationEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ChannelId { get; set; }
    public required string CustomerId { get; set; }
    public required string ExternalChatId { get; set; }
    /// <summary>Empty when the chat has no thread.</summary>
    public string ExternalThreadId { get; set; } = string.Empty;
    public required string DeliveryRouteId { get; set; }
    /// <summary>Messages before this instant are not given to agents as history (<c>/new</c>).</summary>
    public DateTime? MemoryResetAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastMessageAt { get; set; }
}
