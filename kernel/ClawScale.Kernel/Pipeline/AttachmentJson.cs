using System.Text.Json;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Pipeline;

/// <summary>The stored JSON form of attachments, inbound payloads and adapter properties (camelCase, inline data as base64).</summary>
internal static class AttachmentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(IReadOnlyList<MessageAttachment>? attachments) =>
        attachments is null || attachments.Count == 0 ? string.Empty : JsonSerializer.Serialize(attachments, Options);

    public static IReadOnlyList<MessageAttachment> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<MessageAttachment>>(json, Options) ?? [];

    public static string WriteProperties(IReadOnlyDictionary<string, string>? properties) =>
        properties is null || properties.Count == 0 ? string.Empty : JsonSerializer.Serialize(properties, Options);

    public static IReadOnlyDictionary<string, string> ReadProperties(string? json) =>
        string.IsNullOrEmpty(json) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(json, Options) ?? [];

    public static string WriteInbound(InboundMessage message) => JsonSerializer.Serialize(message, Options);

    public static InboundMessage? ReadInbound(string json) => JsonSerializer.Deserialize<InboundMessage>(json, Options);
}
