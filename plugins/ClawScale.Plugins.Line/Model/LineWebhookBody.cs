namespace ClawScale.Plugins.Line.Model;

/// <summary>
/// The body of a LINE webhook (Messaging API reference "Webhooks" → "Request body"): the bot's user id and the events.
/// LINE sends an empty <see cref="Events"/> array to check the URL ("Verify" in the LINE Developers Console).
/// </summary>
public sealed record LineWebhookBody
{
    /// <summary>The user id of the bot that should receive the events (<c>U</c> + 32 hex digits).</summary>
    public string? Destination { get; init; }

    /// <summary>The events; may be empty.</summary>
    public IReadOnlyList<LineEvent>? Events { get; init; }
}

/// <summary>
/// One webhook event (reference "Common properties" and "Message event"): type, source, timestamp (Unix ms), mode
/// (<c>active</c> | <c>standby</c>), <c>webhookEventId</c> (a ULID, the deduplication key), <c>deliveryContext</c>,
/// and for message events <c>replyToken</c> and <c>message</c>.
/// </summary>
public sealed record LineEvent
{
    /// <summary><c>message</c>, <c>follow</c>, <c>join</c>, <c>postback</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>Where the event happened.</summary>
    public LineSource? Source { get; init; }

    /// <summary>Unix milliseconds.</summary>
    public long Timestamp { get; init; }

    /// <summary><c>active</c>, or <c>standby</c> when another module holds the chat (the bot must not answer).</summary>
    public string? Mode { get; init; }

    /// <summary>The event's unique id (ULID), the same on redelivery.</summary>
    public string? WebhookEventId { get; init; }

    /// <summary>Whether this is a redelivery.</summary>
    public LineDeliveryContext? DeliveryContext { get; init; }

    /// <summary>The token of the reply API (usable once, within one minute of receipt).</summary>
    public string? ReplyToken { get; init; }

    /// <summary>The message of a message event.</summary>
    public LineMessage? Message { get; init; }
}

/// <summary><c>source</c>: a user (one-to-one chat), a group chat or a multi-person chat (room).</summary>
public sealed record LineSource
{
    /// <summary><c>user</c>, <c>group</c> or <c>room</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The sending user's id.</summary>
    public string? UserId { get; init; }

    /// <summary>The group chat's id (type <c>group</c>).</summary>
    public string? GroupId { get; init; }

    /// <summary>The multi-person chat's id (type <c>room</c>).</summary>
    public string? RoomId { get; init; }
}

/// <summary><c>deliveryContext</c>.</summary>
public sealed record LineDeliveryContext
{
    /// <summary>True when LINE redelivers an event that was not acknowledged before.</summary>
    public bool IsRedelivery { get; init; }
}

/// <summary>A message of a message event (reference "Text", "Image", … message objects).</summary>
public sealed record LineMessage
{
    /// <summary>The message id.</summary>
    public string? Id { get; init; }

    /// <summary><c>text</c>, <c>image</c>, <c>video</c>, <c>audio</c>, <c>file</c>, <c>location</c>, <c>sticker</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The text of a text message.</summary>
    public string? Text { get; init; }

    /// <summary>The file name of a file message.</summary>
    public string? FileName { get; init; }

    /// <summary>The size in bytes of a file message.</summary>
    public long? FileSize { get; init; }

    /// <summary>The mentions in a text message.</summary>
    public LineMention? Mention { get; init; }

    /// <summary>The id of the quoted message, when the message quotes one.</summary>
    public string? QuotedMessageId { get; init; }
}

/// <summary><c>mention</c> of a text message.</summary>
public sealed record LineMention
{
    /// <summary>The mentioned users (at most 20).</summary>
    public IReadOnlyList<LineMentionee>? Mentionees { get; init; }
}

/// <summary>One mentionee: where in the text and whom (<c>isSelf</c> is true when it is the bot).</summary>
public sealed record LineMentionee
{
    /// <summary>Start of the mention in the text (0-based).</summary>
    public int Index { get; init; }

    /// <summary>Length of the mention in the text, including <c>@</c>.</summary>
    public int Length { get; init; }

    /// <summary><c>user</c> or <c>all</c> (@All).</summary>
    public string? Type { get; init; }

    /// <summary>The mentioned user's id (type <c>user</c>, when known).</summary>
    public string? UserId { get; init; }

    /// <summary>Whether the mentioned user is the bot that receives the webhook.</summary>
    public bool IsSelf { get; init; }
}
