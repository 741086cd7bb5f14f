namespace ClawScale.Plugins.Evolution.Model;

/// <summary><c>quoted.key</c>.</summary>
public sealed record SendQuotedKey
{
    /// <summary>The quoted message's id.</summary>
    public required string Id { get; init; }
}
