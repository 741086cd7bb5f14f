using System.Text.Json.Serialization;

namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>System.Text.Json source-generated metadata for the WhatsApp shapes: snake_case names, nulls omitted when writing.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WhatsAppNotification))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(GraphResponse))]
public sealed partial class WhatsAppJsonContext : JsonSerializerContext;
