namespace ClawScale.Bridge;

/// <summary>What the bridge runs per turn.</summary>
public sealed record BridgeOptions
{
    /// <summary>The command run for each turn.</summary>
    public required CommandSpec Command { get; init; }

    /// <summary>How long one run may take. Default 120 seconds; past it the turn fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Working directory of the command; null: the bridge's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Characters of stderr quoted in a failure. Default 1000 (the end of stderr, where errors usually are).</summary>
    public int StderrExcerptLength { get; init; } = 1000;
}
