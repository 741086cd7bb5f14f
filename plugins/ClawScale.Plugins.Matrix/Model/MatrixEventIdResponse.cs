using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>The answer of <c>PUT /rooms/{roomId}/send/{eventType}/{txnId}</c>: <c>event_id</c>.</summary>
public sealed record MatrixEventIdResponse
{
    /// <summary>The sent event's id.</summary>
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }
}
