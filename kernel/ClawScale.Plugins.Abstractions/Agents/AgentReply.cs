using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Agents;

/// <summary>One message of an agent's answer. An answer may have several; each becomes one outbound delivery.</summary>
/// <param name="Text">The text, or <see langword="null"/> when only attachments are sent.</param>
/// <param name="Attachments">Files to send; <see langword="null"/> means none.</param>
public sealed record AgentReply(string? Text, IReadOnlyList<MessageAttachment>? Attachments = null);
