namespace ClawScale.Plugins.Webhook.Model;

/// <summary>One element of an <see cref="InboundPayload"/>'s <c>attachments</c> array.</summary>
public sealed record InboundAttachment
{
    /// <summary>Required. <c>image</c>, <c>document</c>, <c>audio</c> or <c>video</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>Required. An absolute http(s) URL the file can be fetched from.</summary>
    public string? Url { get; init; }

    /// <summary>Optional. The file name shown to users.</summary>
    public string? FileName { get; init; }

    /// <summary>Optional. The MIME type, for example <c>image/png</c>.</summary>
    public string? MimeType { get; init; }

    /// <summary>Optional. The size in bytes.</summary>
    public long? SizeBytes { get; init; }
}
