using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>A joined room's <c>timeline</c> in a <c>/sync</c> answer: <c>events</c>, <c>limited</c>, <c>prev_batch</c>.</summary>
public sealed record MatrixTimeline
{
    /// <summary>The new events, oldest first.</summary>
    [JsonPropertyName("events")]
    public IReadOnlyList<MatrixEvent>? Events { get; init; }

    /// <summary>True when more events happened than were returned (a gap).</summary>
    [JsonPropertyName("limited")]
    public bool Limited { get; init; }
}
