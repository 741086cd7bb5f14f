namespace Grpc.Core;

/// <summary>The base of generated typed clients: holds the <see cref="Core.CallInvoker"/> calls go through.</summary>
public abstract class ClientBase
{
    /// <summary>For mocking: a client without a call invoker (calls throw).</summary>
    protected ClientBase()
        : this(new UnimplementedCallInvoker())
    {
    }

    /// <summary>Creates a client over a configuration.</summary>
    protected ClientBase(ClientBaseConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        CallInvoker = configuration.CallInvoker;
    }

    /// <summary>Creates a client over a channel.</summary>
    protected ClientBase(ChannelBase channel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker())
    {
    }

    /// <summary>Creates a client over a call invoker.</summary>
    protected ClientBase(CallInvoker callInvoker)
        : this(new ClientBaseConfiguration(callInvoker, null))
    {
    }

    /// <summary>The call invoker.</summary>
    protected CallInvoker CallInvoker { get; }

    /// <summary>The configuration.</summary>
    internal ClientBaseConfiguration Configuration { get; }

    /// <summary>The configuration of a client: its call invoker and default host.</summary>
    protected internal class ClientBaseConfiguration
    {
        /// <summary>Creates a configuration.</summary>
        internal ClientBaseConfiguration(CallInvoker callInvoker, string? host)
        {
            CallInvoker = callInvoker ?? throw new ArgumentNullException(nameof(callInvoker));
            Host = host;
        }

        /// <summary>The call invoker.</summary>
        internal CallInvoker CallInvoker { get; }

        /// <summary>The host override, or <c>null</c>.</summary>
        internal string? Host { get; }
    }

    private sealed class UnimplementedCallInvoker : CallInvoker
    {
        private static RpcException Fail() => new(new Status(StatusCode.Unimplemented, "This client has no channel (mocking constructor)."));

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Fail();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Fail();
    }
}
