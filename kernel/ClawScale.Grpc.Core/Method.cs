namespace Grpc.Core;

/// <summary>A method descriptor: call kind, names and the marshallers of its request and response messages.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public class Method<TRequest, TResponse> : IMethod
{
    /// <summary>Creates a method descriptor.</summary>
    /// <param name="type">The call kind.</param>
    /// <param name="serviceName">The fully qualified service name.</param>
    /// <param name="name">The method name.</param>
    /// <param name="requestMarshaller">The request marshaller.</param>
    /// <param name="responseMarshaller">The response marshaller.</param>
    public Method(MethodType type, string serviceName, string name, Marshaller<TRequest> requestMarshaller, Marshaller<TResponse> responseMarshaller)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(requestMarshaller);
        ArgumentNullException.ThrowIfNull(responseMarshaller);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        RequestMarshaller = requestMarshaller;
        ResponseMarshaller = responseMarshaller;
        FullName = "/" + serviceName + "/" + name;
    }

    /// <inheritdoc />
    public MethodType Type { get; }

    /// <inheritdoc />
    public string ServiceName { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string FullName { get; }

    /// <summary>The request marshaller.</summary>
    public Marshaller<TRequest> RequestMarshaller { get; }

    /// <summary>The response marshaller.</summary>
    public Marshaller<TResponse> ResponseMarshaller { get; }
}
