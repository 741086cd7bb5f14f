namespace ClawScale.Plugins.Teams.Model;

/// <summary>
/// The message activity the plugin POSTs to the Connector ("Send and receive messages with the Bot Connector API":
/// <c>type</c>, <c>text</c>, optional <c>replyToId</c>, <c>attachments</c>).
/// </summary>
public sealed record OutboundActivity
{
    /// <summary>Always <c>message</c>.</summary>
    public string Type { get; init; } = "message";

    /// <summary>The text (Markdown, Teams' default text format).</summary>
    public string? Text { get; init; }

    /// <summary>The user activity this answers, when replying.</summary>
    public string? ReplyToId { get; init; }

    /// <summary>Images by URL.</summary>
    public IReadOnlyList<OutboundAttachment>? Attachments { get; init; }
}
