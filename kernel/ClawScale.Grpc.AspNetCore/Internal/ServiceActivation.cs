using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// How a call gets its service instance: a service registered as a singleton is resolved once and reused; an
/// unregistered one with only a parameterless constructor is created without the request scope; any other is
/// resolved from (or created with) the request's DI scope per call, through <see cref="ServiceActivator{TService}"/>.
/// </summary>
internal sealed class ServiceActivation<TService>
    where TService : class
{
    private readonly IServiceProvider _rootServices;
    private readonly bool _singleton;
    private readonly bool _standalone;
    private TService? _instance;

    /// <param name="rootServices">The application's root provider.</param>
    /// <param name="lifetime">How <typeparamref name="TService"/> is registered, or null when it is not.</param>
    public ServiceActivation(IServiceProvider rootServices, ServiceLifetime? lifetime)
    {
        _rootServices = rootServices;
        _singleton = lifetime == ServiceLifetime.Singleton;
        // Without DI registration or constructor dependencies, the request scope is not needed.
        _standalone = lifetime is null && ServiceActivator<TService>.HasOnlyParameterlessConstructor;
    }

    /// <summary>Whether every call shares one instance (resolved on first use), so a call pipeline can be built once.</summary>
    public bool IsSingleton => _singleton;

    /// <summary>The shared instance of a singleton service.</summary>
    public TService Singleton => _instance ??= _rootServices.GetRequiredService<TService>();

    public TService Create(HttpContext httpContext, out bool created)
    {
        if (_singleton)
        {
            created = false;
            return Singleton;
        }

        if (_standalone)
        {
            created = true;
            return ServiceActivator<TService>.CreateStandalone();
        }

        return ServiceActivator<TService>.Create(httpContext.RequestServices, out created);
    }
}
