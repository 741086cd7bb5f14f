namespace ClawScale.Plugins.Hosting;

/// <summary>
/// A call into plugin code failed or timed out. Thrown by <see cref="IPluginInvoker"/>; the message names the plugin
/// and the operation and is safe for logs and admins (it may contain the plugin's exception message, never a stack trace).
/// An <see cref="ClawScale.Plugins.Agents.AgentException"/> thrown by an agent backend is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class PluginCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="pluginName">The plugin called.</param>
    /// <param name="operation">What was called, for example <c>SendAsync</c>.</param>
    /// <param name="failure">Why it failed.</param>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The plugin's exception, or <see langword="null"/> on timeout.</param>
    public PluginCallException(string pluginName, string operation, PluginCallFailure failure, string message, Exception? innerException)
        : base(message, innerException)
    {
        PluginName = pluginName;
        Operation = operation;
        Failure = failure;
    }

    /// <summary>The plugin called.</summary>
    public string PluginName { get; }

    /// <summary>What was called.</summary>
    public string Operation { get; }

    /// <summary>Why it failed.</summary>
    public PluginCallFailure Failure { get; }
}
