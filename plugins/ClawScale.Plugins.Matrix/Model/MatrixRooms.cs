using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>The <c>rooms</c> of a <c>/sync</c> answer: <c>join</c> and <c>invite</c> keyed by room id (<c>leave</c> ignored).</summary>
public sealed record MatrixRooms
{
    /// <summary>Rooms the bot is in.</summary>
    [JsonPropertyName("join")]
    public IReadOnlyDictionary<string, MatrixJoinedRoom>? Join { get; init; }

    /// <summary>Rooms the bot is invited to (the value holds <c>invite_state</c>).</summary>
    [JsonPropertyName("invite")]
    public IReadOnlyDictionary<string, JsonElement>? Invite { get; init; }
}
