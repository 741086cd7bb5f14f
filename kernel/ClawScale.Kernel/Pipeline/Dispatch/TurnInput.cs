using ClawScale.Kernel.Persistence.Entities;

namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>
/// A claimed turn with everything running it needs: built by ACCEPT for the turns it hands off (no query at all for a
/// new conversation), or loaded by DISPATCH with one joined query for the turns it claims from the database.
/// </summary>
/// <param name="Turn">The turn (claimed by this instance).</param>
/// <param name="Conversation">Its conversation.</param>
/// <param name="Message">The user message it answers.</param>
/// <param name="InboundJson">The inbound event's payload as the platform sent it, or null.</param>
/// <param name="AgentKind">The bound agent's kind, or null without an agent.</param>
/// <param name="AgentVersion">The bound agent's <c>updated_at</c> (the agent registry's cache key), or null.</param>
/// <param name="ChannelKind">The conversation's channel kind (metric label).</param>
/// <param name="CustomerName">The customer's display name, or null.</param>
/// <param name="Route">Where replies go (the conversation's delivery route), or null when the route is gone.</param>
internal sealed record TurnInput(
    TurnEntity Turn,
    ConversationEntity Conversation,
    MessageEntity Message,
    string? InboundJson,
    string? AgentKind,
    DateTime? AgentVersion,
    string ChannelKind,
    string? CustomerName,
    RouteAddress? Route)
{
    /// <summary>The history window; null: not loaded yet (DISPATCH loads it for the whole batch).</summary>
    public IReadOnlyList<MessageEntity>? History { get; set; }
}
