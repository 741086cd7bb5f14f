using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Agents;

/// <summary>One unit of work for an agent: the user's message and a window of the conversation before it.</summary>
public sealed record AgentTurn
{
    /// <summary>The kernel's turn id; stable across retries of the same turn.</summary>
    public required string TurnId { get; init; }

    /// <summary>The conversation the turn belongs to.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The customer who wrote the message.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The customer's display name, or <see langword="null"/>.</summary>
    public string? CustomerDisplayName { get; init; }

    /// <summary>The channel kind the message came from, for example <c>telegram</c>.</summary>
    public required string ChannelKind { get; init; }

    /// <summary>The user's message.</summary>
    public required ConversationMessage Message { get; init; }

    /// <summary>Earlier messages of the conversation, oldest first, not including <see cref="Message"/>.</summary>
    public IReadOnlyList<ConversationMessage> History { get; init; } = [];
}
