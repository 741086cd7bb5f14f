namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>One <c>changes[]</c> item.</summary>
public sealed record WhatsAppChange
{
    /// <summary>The subscribed field, <c>messages</c> for messages and statuses.</summary>
    public string? Field { get; init; }

    /// <summary>The change itself.</summary>
    public WhatsAppChangeValue? Value { get; init; }
}
