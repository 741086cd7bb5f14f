namespace ClawScale.Plugins.Telegram.Model;

/// <summary>A general file (Bot API "Document").</summary>
public sealed record Document
{
    /// <summary>The identifier to download or resend the file ("file_id").</summary>
    public required string FileId { get; init; }

    /// <summary>The file's stable identifier; cannot be used to download ("file_unique_id").</summary>
    public string? FileUniqueId { get; init; }

    /// <summary>The original file name as given by the sender ("file_name").</summary>
    public string? FileName { get; init; }

    /// <summary>The MIME type as given by the sender ("mime_type").</summary>
    public string? MimeType { get; init; }

    /// <summary>File size in bytes ("file_size").</summary>
    public long? FileSize { get; init; }
}
