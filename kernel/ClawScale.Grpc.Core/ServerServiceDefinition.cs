namespace Grpc.Core;

/// <summary>A service as a list of methods with handlers, built by the generated <c>BindService(TServiceBase)</c>.</summary>
public sealed class ServerServiceDefinition
{
    private readonly IReadOnlyList<Action<ServiceBinderBase>> _addMethodActions;

    private ServerServiceDefinition(IReadOnlyList<Action<ServiceBinderBase>> addMethodActions) => _addMethodActions = addMethodActions;

    /// <summary>Binds every method of this definition to <paramref name="serviceBinder"/>.</summary>
    public void BindService(ServiceBinderBase serviceBinder)
    {
        ArgumentNullException.ThrowIfNull(serviceBinder);
        foreach (var action in _addMethodActions)
        {
            action(serviceBinder);
        }
    }

    /// <summary>Creates a builder.</summary>
    public static Builder CreateBuilder() => new();

    /// <summary>Builds a <see cref="ServerServiceDefinition"/>; each method name may be added once.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<string, Action<ServiceBinderBase>> _actions = new(StringComparer.Ordinal);

        /// <summary>Adds a unary method.</summary>
        /// <exception cref="ArgumentException">A method with the same full name was already added.</exception>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        /// <summary>Adds a client-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        /// <summary>Adds a server-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        /// <summary>Adds a duplex-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        /// <summary>Creates the definition.</summary>
        public ServerServiceDefinition Build() => new([.. _actions.Values]);

        private Builder Add(IMethod method, Action<ServiceBinderBase> action)
        {
            ArgumentNullException.ThrowIfNull(method);
            if (!_actions.TryAdd(method.FullName, action))
            {
                throw new ArgumentException($"Method '{method.FullName}' was already added.", nameof(method));
            }

            return this;
        }
    }
}
