namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>outbound_deliveries</c>: idempotency key unique per tenant, claimed with a lease.</summary>
internal sealed class OutboundDeliveryEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ChannelId { get; set; }
    public required string DeliveryRouteId { get; set; }
    public string? ConversationId { get; set; }
    public string? TurnId { get; set; }
    public required string IdempotencyKey { get; set; }
    /// <summary>SHA-256 (hex) of the payload, for idempotency conflict detection.</summary>
    public required string PayloadHash { get; set; }
    public string Text { get; set; } = string.Empty;
    public string AttachmentsJson { get; set; } = string.Empty;
    public string? ReplyToPlatformMessageId { get; set; }
    /// <summary>Adapter properties carried from the inbound message, JSON object.</summary>
    public string PropertiesJson { get; set; } = string.Empty;
    public DeliveryStatusValue Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public string LastError { get; set; } = string.Empty;
    public string ProviderMessageId { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    /// <summary>W3C traceparent of the span that created the delivery (DISPATCH, or a Deliver call); DELIVER continues it. Null when not traced.</summary>
    public string? TraceParent { get; set; }
}
