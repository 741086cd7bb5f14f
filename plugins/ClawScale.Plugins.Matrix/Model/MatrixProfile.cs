using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>The answer of <c>GET /profile/{userId}/displayname</c>: <c>displayname</c>.</summary>
public sealed record MatrixProfile
{
    /// <summary>The display name, or null.</summary>
    [JsonPropertyName("displayname")]
    public string? DisplayName { get; init; }
}
