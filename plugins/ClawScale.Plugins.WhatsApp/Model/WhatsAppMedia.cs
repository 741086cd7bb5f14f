namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>A media object of an incoming message: the media id (download through the Graph API), MIME type, caption.</summary>
public sealed record WhatsAppMedia
{
    /// <summary>The media id.</summary>
    public string? Id { get; init; }

    /// <summary>The MIME type, for example <c>image/jpeg</c>.</summary>
    public string? MimeType { get; init; }

    /// <summary>The caption, when the sender wrote one.</summary>
    public string? Caption { get; init; }

    /// <summary>The file name of a document.</summary>
    public string? Filename { get; init; }
}
