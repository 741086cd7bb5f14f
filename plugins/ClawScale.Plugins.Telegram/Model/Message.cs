namespace ClawScale.Plugins.Telegram.Model;

/// <summary>A message (Bot API "Message"); only the fields the plugin reads.</summary>
public sealed record Message
{
    /// <summary>Unique message identifier inside this chat ("message_id").</summary>
    public long MessageId { get; init; }

    /// <summary>The topic (forum supergroups) or reply thread the message belongs to ("message_thread_id").</summary>
    public long? MessageThreadId { get; init; }

    /// <summary>The sender; empty for messages sent to channels ("from").</summary>
    public User? From { get; init; }

    /// <summary>When the message was sent, in Unix seconds ("date").</summary>
    public long Date { get; init; }

    /// <summary>The chat the message belongs to ("chat").</summary>
    public required Chat Chat { get; init; }

    /// <summary>True when the message is sent to a forum topic ("is_topic_message").</summary>
    public bool? IsTopicMessage { get; init; }

    /// <summary>The message this one replies to ("reply_to_message"; its own reply_to_message is never set).</summary>
    public Message? ReplyToMessage { get; init; }

    /// <summary>The UTF-8 text of a text message, 0–4096 characters ("text").</summary>
    public string? Text { get; init; }

    /// <summary>Special entities in <see cref="Text"/>: mentions, commands, URLs, … ("entities").</summary>
    public IReadOnlyList<MessageEntity>? Entities { get; init; }

    /// <summary>The available sizes of a photo, smallest first ("photo").</summary>
    public IReadOnlyList<PhotoSize>? Photo { get; init; }

    /// <summary>A general file ("document").</summary>
    public Document? Document { get; init; }

    /// <summary>The caption of a photo, document, … 0–1024 characters ("caption").</summary>
    public string? Caption { get; init; }

    /// <summary>Special entities in <see cref="Caption"/> ("caption_entities").</summary>
    public IReadOnlyList<MessageEntity>? CaptionEntities { get; init; }
}
