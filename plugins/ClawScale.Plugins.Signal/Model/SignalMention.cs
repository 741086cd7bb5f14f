using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>swagger <c>receive.Mention</c>: who (<c>number</c>, <c>uuid</c>, <c>name</c>) and where
/// (<c>start</c>, <c>length</c> in UTF-16 code units of the message text; the placeholder is one U+FFFC).</summary>
public sealed record SignalMention
{
    /// <summary>The mentioned account's number, if known.</summary>
    [JsonPropertyName("number")]
    public string? Number { get; init; }

    /// <summary>The mentioned account's ACI uuid.</summary>
    [JsonPropertyName("uuid")]
    public string? Uuid { get; init; }

    /// <summary>The mentioned account's name (number or uuid when no profile name is known).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The start of the placeholder in the text.</summary>
    [JsonPropertyName("start")]
    public int Start { get; init; }

    /// <summary>The placeholder's length (1).</summary>
    [JsonPropertyName("length")]
    public int Length { get; init; }
}
