namespace ClawScale.Plugins.Line.Model;

/// <summary>One mentionee: where in the text and whom (<c>isSelf</c> is true when it is the bot).</summary>
public sealed record LineMentionee
{
    /// <summary>Start of the mention in the text (0-based).</summary>
    public int Index { get; init; }

    /// <summary>Length of the mention in the text, including <c>@</c>.</summary>
    public int Length { get; init; }

    /// <summary><c>user</c> or <c>all</c> (@All).</summary>
    public string? Type { get; init; }

    /// <summary>The mentioned user's id (type <c>user</c>, when known).</summary>
    public string? UserId { get; init; }

    /// <summary>Whether the mentioned user is the bot that receives the webhook.</summary>
    public bool IsSelf { get; init; }
}
