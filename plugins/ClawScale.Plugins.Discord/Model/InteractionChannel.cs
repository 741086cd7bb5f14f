namespace ClawScale.Plugins.Discord.Model;

/// <summary>The partial channel of an interaction.</summary>
public sealed record InteractionChannel
{
    /// <summary>The channel id.</summary>
    public string Id { get; init; } = string.Empty;
}
