namespace ClawScale.Bridge;

/// <summary>How a command run ended.</summary>
/// <param name="ExitCode">The process's exit code; -1 when it timed out and was killed.</param>
/// <param name="Stdout">Everything it wrote to stdout (UTF-8).</param>
/// <param name="Stderr">Everything it wrote to stderr (UTF-8).</param>
/// <param name="TimedOut">True when it ran past the timeout and was killed (with its process tree).</param>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>True when the command exited with 0 in time.</summary>
    public bool Succeeded => !TimedOut && ExitCode == 0;
}
