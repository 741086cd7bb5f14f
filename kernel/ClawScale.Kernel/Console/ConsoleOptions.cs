namespace ClawScale.Kernel.Console;

/// <summary>
/// Settings of the admin web console served at <c>/console</c> on the kernel's HTTP port (<c>ClawScale:Console</c>).
/// </summary>
public sealed record ConsoleOptions
{
    /// <summary>Whether <c>/console</c> is served. Default true; false answers 404 for every console path.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// A signed-in session ends after this long without a request (the API key it holds is forgotten). Default 30
    /// minutes; 1 minute to 1 day.
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);
}
