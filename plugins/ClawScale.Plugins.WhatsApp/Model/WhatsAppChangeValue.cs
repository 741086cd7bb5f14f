namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>The <c>value</c> of a <c>messages</c> change: metadata, contacts, and messages or statuses.</summary>
public sealed record WhatsAppChangeValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; init; }

    /// <summary>The business phone number that received the message.</summary>
    public WhatsAppMetadata? Metadata { get; init; }

    /// <summary>The senders' profiles (name and WhatsApp id).</summary>
    public IReadOnlyList<WhatsAppContact>? Contacts { get; init; }

    /// <summary>Incoming messages (absent for status notifications).</summary>
    public IReadOnlyList<WhatsAppMessage>? Messages { get; init; }

    /// <summary>Status updates of sent messages (sent, delivered, read, failed); ignored by the plugin.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement>? Statuses { get; init; }
}
