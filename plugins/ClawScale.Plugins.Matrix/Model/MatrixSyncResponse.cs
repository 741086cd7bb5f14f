using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>The answer of <c>GET /_matrix/client/v3/sync</c>: <c>next_batch</c> (the next <c>since</c>) and <c>rooms</c>.</summary>
public sealed record MatrixSyncResponse
{
    /// <summary>The token to pass as <c>since</c> next time.</summary>
    [JsonPropertyName("next_batch")]
    public string? NextBatch { get; init; }

    /// <summary>Room updates.</summary>
    [JsonPropertyName("rooms")]
    public MatrixRooms? Rooms { get; init; }
}
