namespace ClawScale.Plugins.Line.Model;

/// <summary>The body of <c>POST /v2/bot/message/reply</c> (reference "Send reply message"): at most 5 messages.</summary>
public sealed record LineReplyRequest
{
    /// <summary>The event's reply token.</summary>
    public required string ReplyToken { get; init; }

    /// <summary>The messages.</summary>
    public required IReadOnlyList<LineTextMessage> Messages { get; init; }
}
