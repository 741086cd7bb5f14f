using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>swagger <c>receive.Attachment</c>: <c>id</c> (fetch with <c>GET /v1/attachments/{id}</c>),
/// <c>contentType</c>, <c>filename</c>, <c>size</c> in bytes.</summary>
public sealed record SignalAttachment
{
    /// <summary>The attachment's id on the REST API.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The MIME type.</summary>
    [JsonPropertyName("contentType")]
    public string? ContentType { get; init; }

    /// <summary>The file name, when the sender gave one.</summary>
    [JsonPropertyName("filename")]
    public string? Filename { get; init; }

    /// <summary>The size in bytes.</summary>
    [JsonPropertyName("size")]
    public long? Size { get; init; }
}
