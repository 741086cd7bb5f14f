namespace ClawScale.Plugins.Line.Model;

/// <summary>One sent message.</summary>
public sealed record LineSentMessage
{
    /// <summary>The sent message's id.</summary>
    public string? Id { get; init; }
}
