using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>
/// swagger <c>receive.DataMessage</c>: <c>timestamp</c>, <c>message</c> (the text; each mention is one U+FFFC
/// character described by <c>mentions</c>), <c>groupInfo</c> (set in groups), <c>attachments</c>.
/// </summary>
public sealed record SignalDataMessage
{
    /// <summary>The message timestamp (ms since the epoch), equal to the envelope's.</summary>
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; init; }

    /// <summary>The text, or null (attachments only, reactions, group updates).</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>The group the message was sent in, or null for a direct message.</summary>
    [JsonPropertyName("groupInfo")]
    public SignalGroupInfo? GroupInfo { get; init; }

    /// <summary>Mentions in <see cref="Message"/>.</summary>
    [JsonPropertyName("mentions")]
    public IReadOnlyList<SignalMention>? Mentions { get; init; }

    /// <summary>Attached files.</summary>
    [JsonPropertyName("attachments")]
    public IReadOnlyList<SignalAttachment>? Attachments { get; init; }
}
