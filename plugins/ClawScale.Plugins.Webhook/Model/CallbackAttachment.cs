namespace ClawScale.Plugins.Webhook.Model;

/// <summary>One file of a <see cref="CallbackPayload"/>: by <c>url</c>, by <c>file_id</c> or inline (<c>data_base64</c>). Unset keys are omitted.</summary>
public sealed record CallbackAttachment
{
    /// <summary><c>image</c>, <c>document</c>, <c>audio</c> or <c>video</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>An absolute http(s) URL of the file, or null.</summary>
    public string? Url { get; init; }

    /// <summary>An identifier of the file known to the receiving system, or null.</summary>
    public string? FileId { get; init; }

    /// <summary>The file name, or null.</summary>
    public string? FileName { get; init; }

    /// <summary>The MIME type, or null.</summary>
    public string? MimeType { get; init; }

    /// <summary>The size in bytes, or null.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>The file's bytes in base64 when carried inline (at most 4 MiB before encoding), or null.</summary>
    public string? DataBase64 { get; init; }
}
