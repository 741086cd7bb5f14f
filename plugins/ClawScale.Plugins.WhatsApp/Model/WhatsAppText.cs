namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>text</c> of a text message.</summary>
public sealed record WhatsAppText
{
    /// <summary>The text.</summary>
    public string? Body { get; init; }
}
