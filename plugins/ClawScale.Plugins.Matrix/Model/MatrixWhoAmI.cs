using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>The answer of <c>GET /_matrix/client/v3/account/whoami</c>: <c>user_id</c>, <c>device_id</c>.</summary>
public sealed record MatrixWhoAmI
{
    /// <summary>The token's user, for example <c>@bot:example.org</c>.</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }
}
