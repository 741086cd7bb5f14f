namespace ClawScale.Plugins.Line.Model;

/// <summary><c>mention</c> of a text message.</summary>
public sealed record LineMention
{
    /// <summary>The mentioned users (at most 20).</summary>
    public IReadOnlyList<LineMentionee>? Mentionees { get; init; }
}
