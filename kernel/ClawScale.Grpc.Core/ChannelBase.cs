namespace Grpc.Core;

/// <summary>A connection to a server, identified by its target; creates the <see cref="Core.CallInvoker"/> clients use.</summary>
public abstract class ChannelBase
{
    /// <summary>Creates a channel for <paramref name="target"/>.</summary>
    protected ChannelBase(string target) => Target = target ?? throw new ArgumentNullException(nameof(target));

    /// <summary>The target (address) of the channel.</summary>
    public string Target { get; }

    /// <summary>Creates a call invoker that runs calls on this channel.</summary>
    public abstract CallInvoker CreateCallInvoker();

    /// <summary>Shuts the channel down; the default does nothing.</summary>
    public Task ShutdownAsync() => ShutdownAsyncCore();

    /// <summary>Channel-specific shutdown; the default does nothing.</summary>
    protected virtual Task ShutdownAsyncCore() => Task.CompletedTask;
}
