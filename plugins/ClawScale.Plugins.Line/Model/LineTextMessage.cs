namespace ClawScale.Plugins.Line.Model;

/// <summary>A text message object (reference "Text message"): at most 5,000 characters.</summary>
public sealed record LineTextMessage
{
    /// <summary>Always <c>text</c>.</summary>
    public string Type { get; init; } = "text";

    /// <summary>The text.</summary>
    public required string Text { get; init; }

    /// <summary>The quote token of a received message to show it quoted above this one (reference "Text message"), or null.</summary>
    public string? QuoteToken { get; init; }
}
