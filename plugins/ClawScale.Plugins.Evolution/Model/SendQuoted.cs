namespace ClawScale.Plugins.Evolution.Model;

/// <summary><c>quoted</c> of a send.</summary>
public sealed record SendQuoted
{
    /// <summary>The quoted message's key.</summary>
    public required SendQuotedKey Key { get; init; }
}
