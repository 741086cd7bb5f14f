using System.Text.Json;
using System.Text.Json.Serialization;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// The stored form of attachment lists (<c>attachments_json</c> of messages and deliveries): a JSON array of
/// <see cref="MessageAttachment"/> with snake_case names, the kind as a string and inline data as base64.
/// An empty string or <c>[]</c> is an empty list. Shared by ACCEPT, DISPATCH and DELIVER.
/// </summary>
internal static class AttachmentJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Serializes <paramref name="attachments"/>; an empty list is <c>[]</c>.</summary>
    public static string Serialize(IReadOnlyList<MessageAttachment>? attachments) =>
        attachments is null || attachments.Count == 0 ? "[]" : JsonSerializer.Serialize(attachments, Options);

    /// <summary>Deserializes a stored list; empty or blank text is an empty list.</summary>
    /// <exception cref="JsonException">The text is not a stored attachment list.</exception>
    public static IReadOnlyList<MessageAttachment> Deserialize(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<MessageAttachment>>(json, Options) ?? [];
}
