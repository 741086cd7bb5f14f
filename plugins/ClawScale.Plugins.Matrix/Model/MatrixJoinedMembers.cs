using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>The answer of <c>GET /rooms/{roomId}/joined_members</c>: <c>joined</c>, keyed by user id.</summary>
public sealed record MatrixJoinedMembers
{
    /// <summary>The joined members.</summary>
    [JsonPropertyName("joined")]
    public IReadOnlyDictionary<string, JsonElement>? Joined { get; init; }
}
