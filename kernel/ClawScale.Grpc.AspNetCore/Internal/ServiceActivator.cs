using System.Collections.Concurrent;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// Creates and releases service instances: resolved from the request scope, or created with their constructor
/// dependencies (like grpc-dotnet's default activator); instances it created are disposed after the call.
/// </summary>
internal static class ServiceActivator<TService>
    where TService : class
{
    private static readonly ObjectFactory Factory = ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);

    /// <summary>
    /// True when the type has a single public parameterless constructor: if it is also not registered in DI, it
    /// can be created without touching <c>HttpContext.RequestServices</c> (which creates a DI scope per request).
    /// </summary>
    public static bool HasOnlyParameterlessConstructor { get; } =
        typeof(TService).GetConstructors() is [{ } ctor] && ctor.GetParameters().Length == 0;

    public static TService CreateStandalone() => Activator.CreateInstance<TService>();

    public static TService Create(IServiceProvider services, out bool created)
    {
        if (services.GetService(typeof(TService)) is TService service)
        {
            created = false;
            return service;
        }

        created = true;
        return (TService)Factory(services, null);
    }

    public static ValueTask ReleaseAsync(TService service)
    {
        if (service is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        (service as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Resolves interceptors per call from the request scope, or creates them.</summary>
internal static class InterceptorActivator
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    public static Interceptor Create(Type type, IServiceProvider services) =>
        services.GetService(type) as Interceptor
        ?? (Interceptor)Factories.GetOrAdd(type, static t => ActivatorUtilities.CreateFactory(t, Type.EmptyTypes))(services, null);
}
