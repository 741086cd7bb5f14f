using ClawScale.Grpc.AspNetCore.Health;
using ClawScale.Grpc.AspNetCore.Internal;
using ClawScale.Grpc.AspNetCore.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClawScale.Grpc.AspNetCore;

/// <summary>Registers the gRPC server layer in DI.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gRPC server layer: options, the service registry used by reflection and the binding validator,
    /// and <see cref="HealthServiceState"/>. Must be called before <c>MapGrpcService</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="GrpcServerOptions"/>; may be <c>null</c>.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<GrpcMarkerService>();
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HealthServiceState>();
        services.TryAddSingleton(new ServiceLifetimeLookup(services));
        // Stateless; singletons (as in grpc-dotnet), so their calls need no DI scope.
        services.TryAddSingleton<HealthServiceImpl>();
        services.TryAddSingleton<ReflectionServiceImpl>();
        services.TryAddSingleton<ReflectionV1AlphaServiceImpl>();
        return services;
    }
}
