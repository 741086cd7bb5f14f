using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>
/// signal-cli's envelope (swagger <c>receive.MessageEnvelope</c>): who sent it (<c>source</c>, <c>sourceNumber</c>,
/// <c>sourceUuid</c>, <c>sourceName</c>), when (<c>timestamp</c>, ms since the epoch, the sender's clock and the
/// message's id together with the sender), and at most one content: <c>dataMessage</c> (a message), receipts, typing,
/// sync and call messages (ignored here).
/// </summary>
public sealed record SignalEnvelope
{
    /// <summary>The sender: its number when known, else its ACI uuid.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>The sender's phone number (E.164), or null when it hides it.</summary>
    [JsonPropertyName("sourceNumber")]
    public string? SourceNumber { get; init; }

    /// <summary>The sender's ACI (a uuid), stable for the account.</summary>
    [JsonPropertyName("sourceUuid")]
    public string? SourceUuid { get; init; }

    /// <summary>The sender's profile name.</summary>
    [JsonPropertyName("sourceName")]
    public string? SourceName { get; init; }

    /// <summary>The sender's device id.</summary>
    [JsonPropertyName("sourceDevice")]
    public int? SourceDevice { get; init; }

    /// <summary>The message's timestamp in ms since the Unix epoch; with the sender, the message's id.</summary>
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; init; }

    /// <summary>The message itself, or null for receipts, typing and sync envelopes.</summary>
    [JsonPropertyName("dataMessage")]
    public SignalDataMessage? DataMessage { get; init; }
}
