namespace ClawScale.Plugins.Telegram.Model;

/// <summary>
/// A file ready to be downloaded (Bot API "File", returned by getFile). Download it from
/// <c>{api_base_url}/file/bot&lt;token&gt;/&lt;file_path&gt;</c> within one hour.
/// </summary>
public sealed record TelegramFile
{
    /// <summary>The identifier to download or resend the file ("file_id").</summary>
    public required string FileId { get; init; }

    /// <summary>The file's stable identifier ("file_unique_id").</summary>
    public string? FileUniqueId { get; init; }

    /// <summary>File size in bytes ("file_size").</summary>
    public long? FileSize { get; init; }

    /// <summary>The path to append to the download URL ("file_path").</summary>
    public string? FilePath { get; init; }
}
