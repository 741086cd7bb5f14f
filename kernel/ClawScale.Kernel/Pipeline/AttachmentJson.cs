using System.Text.Json;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Pipeline;

/// <summary>The stored JSON form of attachments and inbound payloads (camelCase, inline data as base64). String maps: <see cref="JsonMaps"/>.</summary>
internal static class AttachmentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(IReadOnlyList<MessageAttachment>? attachments) =>
        attachments is null || attachments.Count == 0 ? string.Empty : JsonSerializer.Serialize(attachments, Options);

    public static IReadOnlyList<MessageAttachment> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<MessageAttachment>>(json, Options) ?? [];


    public static string WriteInbound(InboundMessage message) => JsonSerializer.Serialize(message, Options);

    public static InboundMessage? ReadInbound(string json) => JsonSerializer.Deserialize<InboundMessage>(json, Options);
}
