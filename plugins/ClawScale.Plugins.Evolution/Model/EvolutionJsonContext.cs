using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Evolution.Model;

/// <summary>System.Text.Json source-generated metadata for the Evolution API shapes (camelCase; the envelope's snake_case fields by name).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(EvolutionWebhook))]
[JsonSerializable(typeof(EvolutionMessageData))]
[JsonSerializable(typeof(SendTextRequest))]
[JsonSerializable(typeof(EvolutionResponse))]
public sealed partial class EvolutionJsonContext : JsonSerializerContext;
