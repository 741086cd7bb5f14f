using System.Text.Json.Serialization;

namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>
/// Source-generated System.Text.Json metadata for the platform's JSON: snake_case names, nulls omitted when writing,
/// unknown keys ignored when reading (platforms add fields).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContosoEvent))]
[JsonSerializable(typeof(ContosoSendRequest))]
[JsonSerializable(typeof(ContosoSendResponse))]
[JsonSerializable(typeof(ContosoChallenge))]
public sealed partial class ContosoJsonContext : JsonSerializerContext;
