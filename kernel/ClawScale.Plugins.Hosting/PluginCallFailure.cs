namespace ClawScale.Plugins.Hosting;

/// <summary>Why a call into plugin code failed.</summary>
public enum PluginCallFailure
{
    /// <summary>The plugin threw (the exception is the <see cref="Exception.InnerException"/>).</summary>
    Faulted = 1,

    /// <summary>The plugin did not finish within the timeout; it was cancelled and abandoned.</summary>
    TimedOut = 2,
}
