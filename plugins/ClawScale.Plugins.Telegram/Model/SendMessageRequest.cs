using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Telegram.Model;

/// <summary>The body of sendMessage (Bot API "sendMessage"); plain text, no parse_mode.</summary>
public sealed record SendMessageRequest
{
    /// <summary>The target chat: its numeric id or <c>@channelusername</c> ("chat_id"); numeric ids are written as JSON numbers.</summary>
    [JsonConverter(typeof(ChatIdJsonConverter))]
    public required string ChatId { get; init; }

    /// <summary>The forum topic to send into ("message_thread_id").</summary>
    public long? MessageThreadId { get; init; }

    /// <summary>The text, 1–4096 characters after entity parsing ("text").</summary>
    public required string Text { get; init; }

    /// <summary>The message to quote ("reply_parameters").</summary>
    public ReplyParameters? ReplyParameters { get; init; }
}
