using System.Reflection;
using ClawScale.Grpc.AspNetCore.Health;
using ClawScale.Grpc.AspNetCore.Internal;
using ClawScale.Grpc.AspNetCore.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ClawScale.Grpc.AspNetCore;

/// <summary>Maps gRPC services onto endpoint routing: one <c>POST /{package.Service}/{Method}</c> endpoint per method.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a service implementation: a subclass of a generated <c>XxxBase</c> (found through its
    /// <see cref="BindServiceMethodAttribute"/>). The instance is resolved from the request's DI scope per call,
    /// or created with its constructor dependencies when not registered; a service registered as a singleton is
    /// resolved once. Interceptors of <see cref="GrpcServerOptions.Interceptors"/> are activated the same way. The first call also maps the catch-all
    /// that answers unknown services/methods with UNIMPLEMENTED (12) unless
    /// <see cref="GrpcServerOptions.IgnoreUnknownServices"/> is set.
    /// </summary>
    /// <typeparam name="TService">The service implementation type.</typeparam>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions to every method endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddGrpcServer()</c> was not called, the type has no
    /// generated base, or the service is already mapped.</exception>
    public static GrpcServiceEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        GrpcMarkerService.EnsureRegistered(services);

        var registry = services.GetRequiredService<GrpcServiceRegistry>();
        var options = services.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ClawScale.Grpc.AspNetCore.Server");
        var timeProvider = services.GetRequiredService<TimeProvider>();

        var (baseType, attribute) = FindBindAttribute(typeof(TService));
        var bindMethod = attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(ServiceBinderBase), baseType])
            ?? throw new InvalidOperationException($"Could not find bind method '{attribute.BindMethodName}(ServiceBinderBase, {baseType.Name})' on {attribute.BindType.FullName}.");
        var descriptor = attribute.BindType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ProtoServiceDescriptor;
        var serviceName = descriptor?.FullName ?? attribute.BindType.GetField("__ServiceName", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as string
            ?? throw new InvalidOperationException($"Could not determine the gRPC service name of {typeof(TService).FullName}.");

        var registered = registry.AddService(serviceName, typeof(TService), descriptor);
        var builders = new List<IEndpointConventionBuilder>();
        // Singletons (services and interceptors) are resolved once; everything else per call from the request scope.
        var lifetimes = services.GetRequiredService<ServiceLifetimeLookup>();
        var serviceActivation = new ServiceActivation<TService>(services, lifetimes.Find(typeof(TService)));
        var interceptors = options.Interceptors.Select(t => new InterceptorActivation(t, services, lifetimes.Find(t) == ServiceLifetime.Singleton)).ToArray();
        var binder = new GrpcServiceBinder<TService>(endpoints, registered, options, logger, timeProvider, serviceActivation, interceptors, builders);
        bindMethod.Invoke(null, [binder, null]);

        if (!options.IgnoreUnknownServices && registry.TryMarkUnimplementedMapped())
        {
            GrpcUnimplementedEndpoint.Map(endpoints, registry, logger);
        }

        return new GrpcServiceEndpointConventionBuilder(builders);
    }

    /// <summary>
    /// Maps the standard <c>grpc.health.v1.Health</c> service (Check, Watch), answering from
    /// <see cref="HealthServiceState"/> as the gRPC health-checking spec says.
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<HealthServiceImpl>();

    /// <summary>
    /// Maps server reflection, both <c>grpc.reflection.v1.ServerReflection</c> and
    /// <c>grpc.reflection.v1alpha.ServerReflection</c>, describing every mapped service (grpcurl, buf curl).
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGrpcService<ReflectionServiceImpl>();
        var v1Alpha = endpoints.MapGrpcService<ReflectionV1AlphaServiceImpl>();
        return new GrpcServiceEndpointConventionBuilder([v1, v1Alpha]);
    }

    private static (Type BaseType, BindServiceMethodAttribute Attribute) FindBindAttribute(Type serviceType)
    {
        for (var type = serviceType; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return (type, attribute);
            }
        }

        throw new InvalidOperationException(
            $"Type {serviceType.FullName} is not a gRPC service: no base class carries [BindServiceMethod]. " +
            "Derive it from the XxxBase class generated by Grpc.Tools for the service.");
    }
}
