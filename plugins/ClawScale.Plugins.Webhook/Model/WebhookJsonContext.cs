using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Webhook.Model;

/// <summary>
/// System.Text.Json source-generated metadata for the plugin's JSON: snake_case names, nulls omitted when writing
/// unless a property says otherwise. Reading is case-sensitive and ignores unknown keys (forward compatibility).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InboundPayload))]
[JsonSerializable(typeof(CallbackPayload))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class WebhookJsonContext : JsonSerializerContext;
