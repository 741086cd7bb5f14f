namespace ClawScale.Plugins.Teams.Model;

/// <summary>An attachment of an outbound activity: an image by URL (<c>contentType</c>, <c>contentUrl</c>, <c>name</c>).</summary>
public sealed record OutboundAttachment
{
    /// <summary>The MIME type, for example <c>image/png</c>.</summary>
    public required string ContentType { get; init; }

    /// <summary>The absolute URL of the content.</summary>
    public required string ContentUrl { get; init; }

    /// <summary>The file name, when known.</summary>
    public string? Name { get; init; }
}
