namespace ClawScale.Plugins.Slack.Model;

/// <summary>The JSON body of chat.postMessage (Slack docs "chat.postMessage"): channel, text, thread_ts, blocks.</summary>
public sealed record PostMessageRequest
{
    /// <summary>The conversation id.</summary>
    public required string Channel { get; init; }

    /// <summary>The text (mrkdwn); with blocks, the notification fallback.</summary>
    public string? Text { get; init; }

    /// <summary>The parent message's ts to reply in its thread, or null.</summary>
    public string? ThreadTs { get; init; }

    /// <summary>Layout blocks (image blocks for image attachments), or null.</summary>
    public IReadOnlyList<SlackBlock>? Blocks { get; init; }
}
