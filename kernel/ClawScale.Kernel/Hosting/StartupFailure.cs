namespace ClawScale.Kernel.Hosting;

/// <summary>
/// A start-up failure the kernel explains itself in one line (a port already in use, <see cref="ServerStartOrder"/>),
/// set where it is detected, before the host logs the failed start. <see cref="KernelApp.RunAsync"/> prints the
/// explanation on stderr and keeps the host's own log of it (an exception with its stack trace) out of the output.
/// </summary>
internal sealed class StartupFailure
{
    private string? _explanation;

    /// <summary>The explanation, or <see langword="null"/> while nothing failed that way.</summary>
    public string? Explanation => Volatile.Read(ref _explanation);

    /// <summary>Records <paramref name="explanation"/> (the first one wins).</summary>
    public void Explain(string explanation) => Interlocked.CompareExchange(ref _explanation, explanation, null);
}
