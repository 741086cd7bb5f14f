namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>One <c>entry[]</c> item: the WhatsApp Business Account id and its changes.</summary>
public sealed record WhatsAppEntry
{
    /// <summary>The WhatsApp Business Account id.</summary>
    public string? Id { get; init; }

    /// <summary>The changes; <c>field</c> is <c>messages</c> for messages and statuses.</summary>
    public IReadOnlyList<WhatsAppChange>? Changes { get; init; }
}
