namespace Grpc.Core;

/// <summary>The generic base of generated typed clients.</summary>
/// <typeparam name="T">The concrete client type.</typeparam>
public abstract class ClientBase<T> : ClientBase
    where T : ClientBase<T>
{
    /// <summary>For mocking: a client without a call invoker.</summary>
    protected ClientBase()
    {
    }

    /// <summary>Creates a client over a configuration.</summary>
    protected ClientBase(ClientBaseConfiguration configuration)
        : base(configuration)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    protected ClientBase(ChannelBase channel)
        : base(channel)
    {
    }

    /// <summary>Creates a client over a call invoker.</summary>
    protected ClientBase(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Returns a new client of the same type that sends calls with <paramref name="host"/>.</summary>
    public T WithHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return NewInstance(new ClientBaseConfiguration(Configuration.CallInvoker, host));
    }

    /// <summary>Creates a new instance of the concrete client over <paramref name="configuration"/>.</summary>
    protected abstract T NewInstance(ClientBaseConfiguration configuration);
}
