namespace ClawScale.Plugins.Evolution.Model;

/// <summary><c>extendedTextMessage</c>.</summary>
public sealed record EvolutionExtendedText
{
    /// <summary>The text.</summary>
    public string? Text { get; init; }

    /// <summary>Mentions and the quoted message.</summary>
    public EvolutionContextInfo? ContextInfo { get; init; }
}
