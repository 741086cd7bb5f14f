namespace ClawScale.Plugins.Telegram.Model;

/// <summary>One size of a photo or thumbnail (Bot API "PhotoSize").</summary>
public sealed record PhotoSize
{
    /// <summary>The identifier to download or resend the file ("file_id").</summary>
    public required string FileId { get; init; }

    /// <summary>The file's identifier, stable over time and across bots; cannot be used to download ("file_unique_id").</summary>
    public string? FileUniqueId { get; init; }

    /// <summary>Width in pixels ("width").</summary>
    public int Width { get; init; }

    /// <summary>Height in pixels ("height").</summary>
    public int Height { get; init; }

    /// <summary>File size in bytes ("file_size").</summary>
    public long? FileSize { get; init; }
}
