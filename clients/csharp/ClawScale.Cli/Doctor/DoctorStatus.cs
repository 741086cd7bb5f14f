namespace ClawScale.Cli.Doctor;

/// <summary>The outcome of one <see cref="DoctorCheck"/>.</summary>
public enum DoctorStatus
{
    /// <summary>Nothing to do.</summary>
    Ok,

    /// <summary>Worth a look, but not trouble yet (for example a channel still pending); does not change the exit code.</summary>
    Warning,

    /// <summary>Trouble that needs an operator (the kernel unreachable, a failed plugin, a channel error, a dead letter): exit code 1.</summary>
    Failure,

    /// <summary>Not checked, because an earlier check failed or the API key may not read it; the detail says which.</summary>
    Skipped,
}
