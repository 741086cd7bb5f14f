using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>The 201 answer of <c>POST /v2/send</c> (swagger <c>data.SendMessageResponse</c>): <c>{"timestamp": "…"}</c>,
/// the sent message's timestamp (its id), as a string.</summary>
public sealed record SignalSendResponse
{
    /// <summary>The sent message's timestamp, ms since the epoch.</summary>
    [JsonPropertyName("timestamp")]
    public string? Timestamp { get; init; }
}
