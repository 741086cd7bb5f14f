using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>One entry of <c>rooms.join</c> in a <c>/sync</c> answer.</summary>
public sealed record MatrixJoinedRoom
{
    /// <summary>The room's new timeline events.</summary>
    [JsonPropertyName("timeline")]
    public MatrixTimeline? Timeline { get; init; }

    /// <summary>The room summary (member counts), when it changed.</summary>
    [JsonPropertyName("summary")]
    public MatrixRoomSummary? Summary { get; init; }
}
