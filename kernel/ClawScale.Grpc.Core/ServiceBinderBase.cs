namespace Grpc.Core;

/// <summary>
/// Receives the methods of a service from the generated <c>BindService(ServiceBinderBase, TServiceBase)</c>;
/// the server layer implements it to create one endpoint per method.
/// </summary>
public abstract class ServiceBinderBase
{
    /// <summary>Adds a unary method; <paramref name="handler"/> is <c>null</c> when binding without an instance.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        where TRequest : class
        where TResponse : class;

    /// <summary>Adds a client-streaming method.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class
        where TResponse : class;

    /// <summary>Adds a server-streaming method.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class
        where TResponse : class;

    /// <summary>Adds a duplex-streaming method.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class
        where TResponse : class;
}
