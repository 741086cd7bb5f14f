namespace ClawScale.Plugins.Evolution.Model;

/// <summary>The parts of Baileys' message content the plugin reads.</summary>
public sealed record EvolutionMessageContent
{
    /// <summary>A plain text message.</summary>
    public string? Conversation { get; init; }

    /// <summary>A text with context (a reply, mentions, a link preview).</summary>
    public EvolutionExtendedText? ExtendedTextMessage { get; init; }
}
