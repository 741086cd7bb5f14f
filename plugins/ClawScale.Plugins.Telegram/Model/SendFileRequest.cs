namespace ClawScale.Plugins.Telegram.Model;

/// <summary>
/// What sendPhoto or sendDocument needs (Bot API "sendPhoto", "sendDocument"). Exactly one of
/// <see cref="FileReference"/> (a URL or a file_id) and <see cref="Content"/> (uploaded as multipart/form-data) is set.
/// </summary>
public sealed record SendFileRequest
{
    /// <summary>True for sendPhoto (field "photo"), false for sendDocument (field "document").</summary>
    public bool IsPhoto { get; init; }

    /// <summary>The target chat ("chat_id").</summary>
    public required string ChatId { get; init; }

    /// <summary>The forum topic to send into ("message_thread_id").</summary>
    public long? MessageThreadId { get; init; }

    /// <summary>An HTTP URL for Telegram to fetch, or the file_id of a file on Telegram's servers.</summary>
    public string? FileReference { get; init; }

    /// <summary>The bytes to upload.</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    /// <summary>The file name of an upload (default "file" or "photo.jpg").</summary>
    public string? FileName { get; init; }

    /// <summary>The MIME type of an upload, or <see langword="null"/> for application/octet-stream.</summary>
    public string? MimeType { get; init; }

    /// <summary>The caption, 0–1024 characters ("caption").</summary>
    public string? Caption { get; init; }

    /// <summary>The message to quote ("reply_parameters").</summary>
    public ReplyParameters? ReplyParameters { get; init; }

    /// <summary>The Bot API method: <c>sendPhoto</c> or <c>sendDocument</c>.</summary>
    public string Method => IsPhoto ? "sendPhoto" : "sendDocument";

    /// <summary>The name of the file field: <c>photo</c> or <c>document</c>.</summary>
    public string FileField => IsPhoto ? "photo" : "document";
}
