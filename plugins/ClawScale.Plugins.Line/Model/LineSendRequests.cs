namespace ClawScale.Plugins.Line.Model;

/// <summary>A text message object (reference "Text message"): at most 5,000 characters.</summary>
public sealed record LineTextMessage
{
    /// <summary>Always <c>text</c>.</summary>
    public string Type { get; init; } = "text";

    /// <summary>The text.</summary>
    public required string Text { get; init; }
}

/// <summary>The body of <c>POST /v2/bot/message/reply</c> (reference "Send reply message"): at most 5 messages.</summary>
public sealed record LineReplyRequest
{
    /// <summary>The event's reply token.</summary>
    public required string ReplyToken { get; init; }

    /// <summary>The messages.</summary>
    public required IReadOnlyList<LineTextMessage> Messages { get; init; }
}

/// <summary>The body of <c>POST /v2/bot/message/push</c> (reference "Send push message"): at most 5 messages.</summary>
public sealed record LinePushRequest
{
    /// <summary>The user, group or room id.</summary>
    public required string To { get; init; }

    /// <summary>The messages.</summary>
    public required IReadOnlyList<LineTextMessage> Messages { get; init; }
}

/// <summary>
/// A Messaging API answer: on success of a send <c>{"sentMessages":[{"id","quoteToken"}]}</c>, of bot info
/// <c>{"userId","basicId","displayName",…}</c>; on failure the documented error body <c>{"message","details":[{"message","property"}]}</c>.
/// </summary>
public sealed record LineResponse
{
    /// <summary>The sent messages.</summary>
    public IReadOnlyList<LineSentMessage>? SentMessages { get; init; }

    /// <summary>The bot's user id (bot info).</summary>
    public string? UserId { get; init; }

    /// <summary>The bot's display name (bot info).</summary>
    public string? DisplayName { get; init; }

    /// <summary>The error summary.</summary>
    public string? Message { get; init; }

    /// <summary>The error details.</summary>
    public IReadOnlyList<LineErrorDetail>? Details { get; init; }
}

/// <summary>One sent message.</summary>
public sealed record LineSentMessage
{
    /// <summary>The sent message's id.</summary>
    public string? Id { get; init; }
}

/// <summary>One error detail.</summary>
public sealed record LineErrorDetail
{
    /// <summary>What is wrong.</summary>
    public string? Message { get; init; }

    /// <summary>Where, for example <c>messages[0].text</c>.</summary>
    public string? Property { get; init; }
}
