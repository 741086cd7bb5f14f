using System.Text.Json.Serialization;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>
/// A chat message as the page sees it, in the event stream (<c>event: message</c>) and in the history endpoint:
/// <c>{"id": "…", "role": "user"|"agent"|"system", "text": "…", "time": "2026-11-01T12:00:00+00:00"}</c>.
/// </summary>
/// <param name="Id">A stable id (the delivery id for pushed replies; the provider message id or row id in history).</param>
/// <param name="Role"><c>user</c>, <c>agent</c> or <c>system</c>.</param>
/// <param name="Text">The text.</param>
/// <param name="Time">When it was sent (UTC).</param>
internal sealed record WebChatMessage(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("time")] DateTimeOffset Time)
{
    /// <summary>The role of the visitor's own messages.</summary>
    public const string UserRole = "user";

    /// <summary>The role of the agent's replies.</summary>
    public const string AgentRole = "agent";

    /// <summary>The role of kernel notices.</summary>
    public const string SystemRole = "system";
}
