namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>turns</c>: one unit of work for an agent, claimed with a lease.</summary>
internal sealed class TurnEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string ConversationId { get; set; }
    public string? AgentId { get; set; }
    public required string InboundEventId { get; set; }
    public required string MessageId { get; set; }
    public TurnStatusValue Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public string LastError { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    /// <summary>W3C traceparent of the ACCEPT span that created the turn (DISPATCH continues it), or null.</summary>
    public string? TraceParent { get; set; }
}
