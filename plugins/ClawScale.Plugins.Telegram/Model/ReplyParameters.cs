namespace ClawScale.Plugins.Telegram.Model;

/// <summary>Which message a sent message replies to (Bot API "ReplyParameters").</summary>
public sealed record ReplyParameters
{
    /// <summary>The message to reply to, in the same chat ("message_id").</summary>
    public long MessageId { get; init; }

    /// <summary>Send even when the quoted message was deleted ("allow_sending_without_reply"). Default true here.</summary>
    public bool AllowSendingWithoutReply { get; init; } = true;
}
