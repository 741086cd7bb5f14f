namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>A user's message inside a <see cref="ContosoEvent"/>.</summary>
public sealed record ContosoMessage
{
    /// <summary>The platform's id of the message (quoted when replying).</summary>
    public string? Id { get; init; }

    /// <summary>The chat the message was written in.</summary>
    public ContosoChat? Chat { get; init; }

    /// <summary>The thread within the chat, or null.</summary>
    public string? ThreadId { get; init; }

    /// <summary>The author.</summary>
    public ContosoUser? From { get; init; }

    /// <summary>The text, or null.</summary>
    public string? Text { get; init; }

    /// <summary>Whether the message mentions the bot (matters in group chats).</summary>
    public bool? MentionsBot { get; init; }

    /// <summary>When the user sent it (ISO 8601), or null.</summary>
    public DateTimeOffset? SentAt { get; init; }
}
