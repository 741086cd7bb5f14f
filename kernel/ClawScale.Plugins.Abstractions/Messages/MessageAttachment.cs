namespace ClawScale.Plugins.Messages;

/// <summary>
/// A file carried with a message, referenced by URL, by the platform's own file id, or inline.
/// At least one of <see cref="Url"/>, <see cref="ProviderFileId"/> or <see cref="Data"/> is set.
/// </summary>
public sealed record MessageAttachment
{
    /// <summary>What the file holds.</summary>
    public required AttachmentKind Kind { get; init; }

    /// <summary>An absolute http(s) URL the file can be fetched from, or <see langword="null"/>.</summary>
    public string? Url { get; init; }

    /// <summary>The platform's identifier of the file (for example Telegram's <c>file_id</c>), or <see langword="null"/>.</summary>
    public string? ProviderFileId { get; init; }

    /// <summary>The file name shown to users, or <see langword="null"/>.</summary>
    public string? FileName { get; init; }

    /// <summary>The MIME type, for example <c>image/png</c>, or <see langword="null"/> when unknown.</summary>
    public string? MimeType { get; init; }

    /// <summary>Size in bytes, or <see langword="null"/> when unknown.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>The file's bytes when carried inline (at most 4 MiB), or <see langword="null"/>.</summary>
    public ReadOnlyMemory<byte>? Data { get; init; }
}
