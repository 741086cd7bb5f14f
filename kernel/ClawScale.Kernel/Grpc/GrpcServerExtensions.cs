using ClawScale.Kernel.Admin;
using ClawScale.Kernel.Delivery;
using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Identity;
using ClawScale.Kernel.Routing;
using ClawScale.Kernel.Runtime;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Net.Compression;

namespace ClawScale.Kernel.Grpc;

/// <summary>
/// The kernel's gRPC server on grpc-dotnet (<c>Grpc.AspNetCore.Server</c>): the <c>clawscale.v1</c> services,
/// <c>grpc.health.v1.Health</c> fed by the ASP.NET Core health checks (<c>Grpc.AspNetCore.HealthChecks</c>) and server
/// reflection v1 and v1alpha (<c>Grpc.AspNetCore.Server.Reflection</c>). What is the kernel's own sits on grpc-dotnet's
/// extension points: <see cref="CallOutcomeInterceptor"/> (client cancellations as CANCELLED, the <c>rpc.server.call.duration</c> metric),
/// <see cref="ApiKeyAuthInterceptor"/> and <see cref="GrpcBindingValidator"/> (every RPC of the contract served).
/// </summary>
internal static class GrpcServerExtensions
{
    /// <summary>The contract files whose every RPC the kernel serves, checked at start by <see cref="GrpcBindingValidator"/>.</summary>
    public static readonly FileDescriptor[] Contract =
    [
        AdminReflection.Descriptor, IdentityReflection.Descriptor, RoutingReflection.Descriptor,
        DeliveryReflection.Descriptor, RuntimeReflection.Descriptor,
    ];

    /// <summary>
    /// Registers grpc-dotnet with the kernel's limits (<c>ClawScale:Grpc</c>), the interceptors (outcome first, then
    /// API-key authentication), health and reflection.
    /// </summary>
    public static IServiceCollection AddClawScaleGrpc(this IServiceCollection services, GrpcLimitsOptions limits)
    {
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = limits.MaxReceiveMessageSize;
            o.MaxSendMessageSize = limits.MaxSendMessageSize;
            o.EnableDetailedErrors = limits.EnableDetailedErrors;
            // Interceptors run in the order added: the outcome interceptor sees every call's final status.
            o.Interceptors.Add<CallOutcomeInterceptor>();
            o.Interceptors.Add<ApiKeyAuthInterceptor>();
            o.CompressionProviders.Add(new DecompressionErrorProvider(new GzipCompressionProvider(System.IO.Compression.CompressionLevel.Fastest)));
            o.CompressionProviders.Add(new DecompressionErrorProvider(new DeflateCompressionProvider(System.IO.Compression.CompressionLevel.Fastest)));
        });
        ReplaceMethodProvider(services);
        // Singletons: grpc-dotnet resolves registered interceptors from DI, and these need no request scope.
        services.AddSingleton<CallOutcomeInterceptor>();
        services.AddSingleton<ApiKeyAuthInterceptor>();
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(o =>
        {
            // Check and Watch answer from the last published report (HealthCheckPublisherOptions, every 10 s) instead
            // of running the database query per call; "" (the server) and each clawscale.v1 service follow readiness
            // (the checks /readyz runs): NOT_SERVING while one is Unhealthy, SERVING when Healthy or Degraded.
            o.UseHealthChecksCache = true;
            o.Services.Map(string.Empty, r => r.Tags.Contains(KernelHealthExtensions.ReadyTag));
            foreach (var file in Contract)
            {
                foreach (var service in file.Services) o.Services.Map(service.FullName, r => r.Tags.Contains(KernelHealthExtensions.ReadyTag));
            }
        });
        return services;
    }

    /// <summary>
    /// Puts <see cref="RequestParsingMethodProvider{TService}"/> in place of grpc-dotnet's binder provider (the open
    /// generic <see cref="IServiceMethodProvider{TService}"/> registration <c>AddGrpc</c> makes), so that every mapped
    /// service, health and reflection included, answers unparsable requests with INTERNAL.
    /// </summary>
    /// <exception cref="InvalidOperationException">grpc-dotnet no longer registers its provider as expected.</exception>
    private static void ReplaceMethodProvider(IServiceCollection services)
    {
        var defaults = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == "BinderServiceMethodProvider`1").ToList();
        if (defaults.Count != 1)
            throw new InvalidOperationException("grpc-dotnet's BinderServiceMethodProvider<> registration was not found after AddGrpc(); this Grpc.AspNetCore version binds services differently. Review Grpc/RequestParsingMethodProvider.cs for it.");
        services.Remove(defaults[0]);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(RequestParsingMethodProvider<>));
    }

    /// <summary>
    /// Maps the <c>clawscale.v1</c> services, health and reflection, then checks that every RPC of
    /// <see cref="Contract"/> has a handler.
    /// </summary>
    /// <exception cref="InvalidOperationException">An RPC of the contract is not served (every one listed).</exception>
    public static IEndpointRouteBuilder MapClawScaleGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<AdminGrpcService>();
        endpoints.MapGrpcService<IdentityGrpcService>();
        endpoints.MapGrpcService<RoutingGrpcService>();
        endpoints.MapGrpcService<DeliveryGrpcService>();
        endpoints.MapGrpcService<RuntimeGrpcService>();
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        endpoints.ValidateGrpcBindings(Contract, []);
        return endpoints;
    }
}
