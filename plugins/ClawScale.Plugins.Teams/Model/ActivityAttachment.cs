using System.Text.Json;

namespace ClawScale.Plugins.Teams.Model;

/// <summary>
/// A Bot Framework Attachment (REST API reference "Attachment object"): <c>contentType</c> with either
/// <c>contentUrl</c> or an inline <c>content</c> (Teams files: <c>application/vnd.microsoft.teams.file.download.info</c>
/// with <c>content.downloadUrl</c>; Teams docs "Send and receive files").
/// </summary>
public sealed record ActivityAttachment
{
    /// <summary>The MIME type or a card/file content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>Where the content can be fetched.</summary>
    public string? ContentUrl { get; init; }

    /// <summary>Inline content (a card, the HTML text, file download info).</summary>
    public JsonElement? Content { get; init; }

    /// <summary>The file name.</summary>
    public string? Name { get; init; }
}
