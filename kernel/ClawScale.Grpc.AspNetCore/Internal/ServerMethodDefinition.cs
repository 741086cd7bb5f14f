using Grpc.Core;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Endpoint metadata describing the gRPC method an endpoint serves.</summary>
internal sealed class ServerMethodDefinition(IMethod method, Type serviceType, bool hasHandler)
{
    public IMethod Method { get; } = method;

    public string FullName { get; } = method.FullName;

    public Type ServiceType { get; } = serviceType;

    public bool HasHandler { get; } = hasHandler;
}
