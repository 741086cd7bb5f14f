using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>What the listener stores as its checkpoint: the <c>since</c> token and the homeserver and user it belongs to
/// (a checkpoint of another homeserver or account is ignored).</summary>
public sealed record MatrixCheckpoint
{
    /// <summary>The homeserver URL.</summary>
    [JsonPropertyName("homeserver")]
    public required string Homeserver { get; init; }

    /// <summary>The bot's user id.</summary>
    [JsonPropertyName("user_id")]
    public required string UserId { get; init; }

    /// <summary>The <c>next_batch</c> of the last sync whose messages were accepted.</summary>
    [JsonPropertyName("since")]
    public required string Since { get; init; }
}
