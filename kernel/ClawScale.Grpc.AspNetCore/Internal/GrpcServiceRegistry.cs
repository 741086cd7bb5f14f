using System.Collections.Concurrent;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>What has been mapped: services, their descriptors and whether each method has a handler.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly ConcurrentDictionary<string, RegisteredService> _services = new(StringComparer.Ordinal);
    private int _unimplementedMapped;

    public IReadOnlyCollection<RegisteredService> Services => [.. _services.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    public bool TryGetService(string name, out RegisteredService service) => _services.TryGetValue(name, out service!);

    public RegisteredService AddService(string name, Type implementationType, ProtoServiceDescriptor? descriptor)
    {
        var service = new RegisteredService(name, implementationType, descriptor);
        if (!_services.TryAdd(name, service))
        {
            throw new InvalidOperationException($"gRPC service '{name}' is already mapped (by {_services[name].ImplementationType.FullName}); map each service once.");
        }

        return service;
    }

    /// <summary>Returns true the first time only: the unimplemented catch-all is mapped once.</summary>
    public bool TryMarkUnimplementedMapped() => Interlocked.Exchange(ref _unimplementedMapped, 1) == 0;

    internal sealed class RegisteredService(string name, Type implementationType, ProtoServiceDescriptor? descriptor)
    {
        public string Name { get; } = name;

        public Type ImplementationType { get; } = implementationType;

        public ProtoServiceDescriptor? Descriptor { get; } = descriptor;

        /// <summary>Method name → whether the implementation overrides the generated method.</summary>
        public ConcurrentDictionary<string, bool> Methods { get; } = new(StringComparer.Ordinal);
    }
}
