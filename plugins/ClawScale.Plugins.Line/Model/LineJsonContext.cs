using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Line.Model;

/// <summary>System.Text.Json source-generated metadata for the LINE shapes: camelCase names, nulls omitted when writing.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LineWebhookBody))]
[JsonSerializable(typeof(LineReplyRequest))]
[JsonSerializable(typeof(LinePushRequest))]
[JsonSerializable(typeof(LineResponse))]
public sealed partial class LineJsonContext : JsonSerializerContext;
