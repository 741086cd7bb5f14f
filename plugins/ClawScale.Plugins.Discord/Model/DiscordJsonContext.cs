using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Discord.Model;

/// <summary>System.Text.Json source-generated metadata for Discord's shapes: snake_case names, nulls omitted when writing.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(Ready))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(DiscordUser))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(CreateMessageRequest))]
[JsonSerializable(typeof(DiscordError))]
[JsonSerializable(typeof(GatewayBot))]
public sealed partial class DiscordJsonContext : JsonSerializerContext;
