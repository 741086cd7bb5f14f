namespace Grpc.Core.Interceptors;

/// <summary>
/// A server interceptor: wraps service methods. Override a handler, run code before/after and call
/// <c>continuation</c> to go on to the next interceptor or the service method. The default implementations
/// just call the continuation. (Subset of Grpc.Core.Api's Interceptor: server side only.)
/// </summary>
public abstract class Interceptor
{
    /// <summary>Intercepts a unary call.</summary>
    public virtual Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(request, context);
    }

    /// <summary>Intercepts a client-streaming call.</summary>
    public virtual Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(requestStream, context);
    }

    /// <summary>Intercepts a server-streaming call.</summary>
    public virtual Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(request, responseStream, context);
    }

    /// <summary>Intercepts a duplex-streaming call.</summary>
    public virtual Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(requestStream, responseStream, context);
    }
}
