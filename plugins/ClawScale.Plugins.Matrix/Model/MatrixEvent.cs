using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>
/// A room event as <c>/sync</c> returns it in <c>rooms.join.{roomId}.timeline.events</c> (client-server API
/// "ClientEventWithoutRoomID"): <c>type</c>, <c>event_id</c>, <c>sender</c>, <c>origin_server_ts</c>, <c>content</c>.
/// </summary>
public sealed record MatrixEvent
{
    /// <summary>The event type, for example <c>m.room.message</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>The event's globally unique id, for example <c>$143273582443PhrSn:example.org</c>.</summary>
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }

    /// <summary>The sender's user id, for example <c>@alice:example.org</c>.</summary>
    [JsonPropertyName("sender")]
    public string? Sender { get; init; }

    /// <summary>When the homeserver received it, ms since the epoch.</summary>
    [JsonPropertyName("origin_server_ts")]
    public long OriginServerTs { get; init; }

    /// <summary>The content; for <c>m.room.message</c>: <c>msgtype</c>, <c>body</c>, <c>m.mentions</c>, <c>m.relates_to</c>.</summary>
    [JsonPropertyName("content")]
    public JsonElement Content { get; init; }

    /// <summary>For state events (invite state): the state key.</summary>
    [JsonPropertyName("state_key")]
    public string? StateKey { get; init; }
}
