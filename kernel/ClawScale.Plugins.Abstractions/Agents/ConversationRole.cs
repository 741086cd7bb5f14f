namespace ClawScale.Plugins.Agents;

/// <summary>Who wrote a conversation message. Mirrors <c>clawscale.v1.MessageRole</c>.</summary>
public enum ConversationRole
{
    /// <summary>The end user.</summary>
    User = 1,

    /// <summary>The agent.</summary>
    Agent = 2,

    /// <summary>The kernel (command answers, notices).</summary>
    System = 3,
}
