namespace ClawScale.Cli.Doctor;

/// <summary>One line of <c>clawscale doctor</c>: what was checked, how it went, and what to do about it.</summary>
public sealed record DoctorCheck
{
    /// <summary>The short name of the check: <c>config</c>, <c>connection</c>, <c>health</c>, <c>database</c>, <c>auth</c>, <c>plugins</c>, <c>channels</c>, <c>dead-letters</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The outcome.</summary>
    public required DoctorStatus Status { get; init; }

    /// <summary>One line saying what was found. Never contains a secret.</summary>
    public required string Summary { get; init; }

    /// <summary>One line per item behind the summary (a failed plugin, a channel in error, dead letters per tenant).</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>The next step for a warning or failure (a command to run, a setting to fix), or null.</summary>
    public string? Hint { get; init; }
}
