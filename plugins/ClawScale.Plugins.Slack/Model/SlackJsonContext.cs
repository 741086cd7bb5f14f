using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Slack.Model;

/// <summary>System.Text.Json source-generated metadata for the Slack shapes: snake_case names, nulls omitted when writing.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SlackEnvelope))]
[JsonSerializable(typeof(SocketModeEnvelope))]
[JsonSerializable(typeof(SocketModeAck))]
[JsonSerializable(typeof(SlackApiResponse))]
[JsonSerializable(typeof(PostMessageRequest))]
public sealed partial class SlackJsonContext : JsonSerializerContext;
