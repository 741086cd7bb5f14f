namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>context</c> of an outgoing reply.</summary>
public sealed record SendContext
{
    /// <summary>The <c>wamid.…</c> of the message replied to.</summary>
    public required string MessageId { get; init; }
}
