namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>messages</c>: one stored message of a conversation.</summary>
internal sealed class MessageEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ConversationId { get; set; }
    public MessageRoleValue Role { get; set; }
    public string Text { get; set; } = string.Empty;
    /// <summary>JSON array of attachments, or empty.</summary>
    public string AttachmentsJson { get; set; } = string.Empty;
    public string ProviderMessageId { get; set; } = string.Empty;
    public string? TurnId { get; set; }
    public DateTime CreatedAt { get; set; }
}
