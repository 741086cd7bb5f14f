using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>A joined room's <c>summary</c> (sent when it changed): <c>m.joined_member_count</c>, <c>m.invited_member_count</c>.</summary>
public sealed record MatrixRoomSummary
{
    /// <summary>Joined members, when it changed since the last sync.</summary>
    [JsonPropertyName("m.joined_member_count")]
    public int? JoinedMemberCount { get; init; }
}
