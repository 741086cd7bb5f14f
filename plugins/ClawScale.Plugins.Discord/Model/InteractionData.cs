namespace ClawScale.Plugins.Discord.Model;

/// <summary>Application command data ("Application Command Data Structure").</summary>
public sealed record InteractionData
{
    /// <summary>The command id.</summary>
    public string? Id { get; init; }

    /// <summary>The command name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The options (parameters, sub-commands) given.</summary>
    public IReadOnlyList<InteractionOption>? Options { get; init; }
}
