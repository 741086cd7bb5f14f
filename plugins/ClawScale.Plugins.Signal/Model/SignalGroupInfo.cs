using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>swagger <c>receive.GroupInfo</c>: <c>groupId</c> is signal-cli's base64 group id (not the REST API's
/// <c>group.…</c> id, which is <c>"group." + base64(groupId)</c>), <c>type</c> (<c>DELIVER</c>, <c>UPDATE</c>, …).</summary>
public sealed record SignalGroupInfo
{
    /// <summary>signal-cli's group id (base64 of the 32-byte group id).</summary>
    [JsonPropertyName("groupId")]
    public string? GroupId { get; init; }

    /// <summary>The group's name, when signal-cli knows it.</summary>
    [JsonPropertyName("groupName")]
    public string? GroupName { get; init; }

    /// <summary><c>DELIVER</c> for a message, <c>UPDATE</c> for a group change.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }
}
