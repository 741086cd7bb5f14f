namespace ClawScale.Plugins.Hosting;

/// <summary>
/// Runs calls into plugin code with a timeout and cancellation, and turns whatever the plugin throws into a
/// <see cref="PluginCallException"/> naming the plugin and the operation, so that one plugin's fault fails only the
/// work at hand. Cancellation requested by the caller is not a fault: it surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// On timeout the call's token is cancelled and the call is abandoned (a later fault of it is logged, never thrown):
/// .NET cannot stop code that ignores its token. <c>timeout</c> <see langword="null"/> means
/// <see cref="PluginHostOptions.CallTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> means none (listeners).
/// </remarks>
public interface IPluginInvoker
{
    /// <summary>Calls asynchronous plugin code returning a value.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="pluginName">The plugin (<see cref="PluginInfo.Name"/>), for messages and logs.</param>
    /// <param name="operation">What is called, for example <c>SendAsync</c>.</param>
    /// <param name="call">The call; it receives a token cancelled on timeout or by the caller.</param>
    /// <param name="timeout">The timeout, <see langword="null"/> for the default, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="PluginCallException">The plugin threw or timed out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<T> InvokeAsync<T>(string pluginName, string operation, Func<CancellationToken, ValueTask<T>> call, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Calls asynchronous plugin code returning nothing (wrap a <see cref="Task"/> as <c>new ValueTask(task)</c>).</summary>
    /// <param name="pluginName">The plugin, for messages and logs.</param>
    /// <param name="operation">What is called.</param>
    /// <param name="call">The call; it receives a token cancelled on timeout or by the caller.</param>
    /// <param name="timeout">The timeout, <see langword="null"/> for the default, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>A task that ends when the call does.</returns>
    /// <exception cref="PluginCallException">The plugin threw or timed out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask InvokeAsync(string pluginName, string operation, Func<CancellationToken, ValueTask> call, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Enumerates a plugin's asynchronous stream (for example <see cref="ClawScale.Plugins.Agents.IAgentBackend.RespondAsync"/>)
    /// under one timeout covering the whole stream.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="pluginName">The plugin, for messages and logs.</param>
    /// <param name="operation">What is called.</param>
    /// <param name="call">Returns the stream; it receives a token cancelled on timeout or by the caller.</param>
    /// <param name="timeout">The timeout of the whole stream, <see langword="null"/> for the default, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>The items, as the plugin yields them.</returns>
    /// <exception cref="PluginCallException">The plugin threw or timed out (raised by the enumeration).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IAsyncEnumerable<T> InvokeStreamAsync<T>(string pluginName, string operation, Func<CancellationToken, IAsyncEnumerable<T>> call, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Calls synchronous plugin code (for example a factory's <c>Validate</c> or <c>Create</c>). No timeout: synchronous code cannot be interrupted.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="pluginName">The plugin, for messages and logs.</param>
    /// <param name="operation">What is called.</param>
    /// <param name="call">The call.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="PluginCallException">The plugin threw.</exception>
    T Invoke<T>(string pluginName, string operation, Func<T> call);
}
