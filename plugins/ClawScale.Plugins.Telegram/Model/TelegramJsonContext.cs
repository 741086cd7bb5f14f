using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Telegram.Model;

/// <summary>
/// System.Text.Json source-generated metadata for the Bot API shapes: snake_case names, nulls omitted when writing.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Update))]
[JsonSerializable(typeof(ApiResponse<User>))]
[JsonSerializable(typeof(ApiResponse<Message>))]
[JsonSerializable(typeof(ApiResponse<bool>))]
[JsonSerializable(typeof(ApiResponse<TelegramFile>))]
[JsonSerializable(typeof(ApiResponse<IReadOnlyList<Update>>))]
[JsonSerializable(typeof(ApiResponse<System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(SetWebhookRequest))]
[JsonSerializable(typeof(DeleteWebhookRequest))]
[JsonSerializable(typeof(GetUpdatesRequest))]
[JsonSerializable(typeof(GetFileRequest))]
[JsonSerializable(typeof(ReplyParameters))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
public sealed partial class TelegramJsonContext : JsonSerializerContext;
