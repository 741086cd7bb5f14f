using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Agents;

/// <summary>A stored message of a conversation, as an agent sees it.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Text">The text, or <see langword="null"/>.</param>
/// <param name="Attachments">Files sent with it.</param>
/// <param name="SentAt">When it was written (UTC).</param>
public sealed record ConversationMessage(ConversationRole Role, string? Text, IReadOnlyList<MessageAttachment> Attachments, DateTimeOffset SentAt);
