namespace ClawScale.Plugins.Line.Model;

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
