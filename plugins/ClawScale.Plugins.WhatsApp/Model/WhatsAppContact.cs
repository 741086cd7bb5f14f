namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>contacts[]</c>: a sender's profile name and WhatsApp id.</summary>
public sealed record WhatsAppContact
{
    /// <summary>The profile (<c>name</c>).</summary>
    public WhatsAppProfile? Profile { get; init; }

    /// <summary>The sender's WhatsApp id (a phone number without <c>+</c>).</summary>
    public string? WaId { get; init; }
}
