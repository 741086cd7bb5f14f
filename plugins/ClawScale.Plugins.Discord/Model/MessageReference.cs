namespace ClawScale.Plugins.Discord.Model;

/// <summary>A reply target ("Message Reference Structure").</summary>
public sealed record MessageReference
{
    /// <summary>The id of the message replied to.</summary>
    public string MessageId { get; init; } = string.Empty;

    /// <summary>When false, Discord sends the message as a normal message if the referenced one was deleted.</summary>
    public bool? FailIfNotExists { get; init; }
}
