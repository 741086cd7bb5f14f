using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Teams.Model;

/// <summary>System.Text.Json source-generated metadata for the Bot Framework shapes: camelCase names, nulls omitted when writing.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(OutboundActivity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ConnectorErrorResponse))]
[JsonSerializable(typeof(TokenResponse))]
public sealed partial class TeamsJsonContext : JsonSerializerContext;
