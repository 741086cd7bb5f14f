using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Discord.Model;

/// <summary>
/// One Gateway message (Discord "Gateway Events" → "Payload Structure"): <c>{op, d, s, t}</c>.
/// <c>s</c> and <c>t</c> are set only for op 0 Dispatch.
/// </summary>
public sealed record GatewayPayload
{
    /// <summary>The opcode (0 Dispatch, 1 Heartbeat, 2 Identify, 6 Resume, 7 Reconnect, 9 Invalid Session, 10 Hello, 11 Heartbeat ACK).</summary>
    [JsonPropertyName("op")]
    public int Op { get; init; }

    /// <summary>The event data; its shape depends on <see cref="Op"/> and <see cref="T"/>.</summary>
    [JsonPropertyName("d")]
    public JsonElement D { get; init; }

    /// <summary>The sequence number of a dispatch, used for heartbeats and resuming; null otherwise.</summary>
    [JsonPropertyName("s")]
    public long? S { get; init; }

    /// <summary>The event name of a dispatch (for example <c>MESSAGE_CREATE</c>); null otherwise.</summary>
    [JsonPropertyName("t")]
    public string? T { get; init; }
}
