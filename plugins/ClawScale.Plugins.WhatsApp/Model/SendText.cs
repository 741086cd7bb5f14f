namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>text</c> of an outgoing text message.</summary>
public sealed record SendText
{
    /// <summary>Whether WhatsApp renders a preview of the first URL; false.</summary>
    public bool PreviewUrl { get; init; }

    /// <summary>The text.</summary>
    public required string Body { get; init; }
}
