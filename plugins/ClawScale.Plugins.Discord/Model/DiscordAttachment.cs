namespace ClawScale.Plugins.Discord.Model;

/// <summary>A file attached to a message ("Attachment Object").</summary>
public sealed record DiscordAttachment
{
    /// <summary>The attachment id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The file name.</summary>
    public string? Filename { get; init; }

    /// <summary>The MIME type, if known.</summary>
    public string? ContentType { get; init; }

    /// <summary>The size in bytes.</summary>
    public long? Size { get; init; }

    /// <summary>The CDN URL of the file.</summary>
    public string? Url { get; init; }
}
