using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// Tells how a type is registered in DI, read from the application's service collection (registered by
/// <c>AddGrpcServer</c>, read once per mapped service after the container is built). The container itself does not
/// expose lifetimes; knowing that a service or interceptor is a singleton lets a call skip the request's DI scope.
/// </summary>
internal sealed class ServiceLifetimeLookup(IServiceCollection services)
{
    /// <summary>The lifetime of the registration that wins for <paramref name="type"/> (the last one), or null when unregistered.</summary>
    public ServiceLifetime? Find(Type type)
    {
        ServiceLifetime? lifetime = null;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == type && !descriptor.IsKeyedService)
            {
                lifetime = descriptor.Lifetime;
            }
        }

        return lifetime;
    }
}
