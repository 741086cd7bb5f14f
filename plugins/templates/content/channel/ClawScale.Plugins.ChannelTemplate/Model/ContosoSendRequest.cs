namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>The body of <c>POST {api_base_url}/messages</c> (PLACEHOLDER shape: replace with your platform's).</summary>
public sealed record ContosoSendRequest
{
    /// <summary>The chat to send to.</summary>
    public required string ChatId { get; init; }

    /// <summary>The thread to send into, or null.</summary>
    public string? ThreadId { get; init; }

    /// <summary>The text.</summary>
    public required string Text { get; init; }

    /// <summary>The platform's id of the message to quote, or null.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>The kernel's idempotency key, so that a retry after an unknown outcome is not shown twice (if the platform supports one).</summary>
    public string? ClientMessageId { get; init; }
}
