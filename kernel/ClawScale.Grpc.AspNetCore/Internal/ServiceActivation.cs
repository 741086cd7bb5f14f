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

    public TService Create(HttpContext httpContext, out bool created)
    {
        if (_singleton)
        {
            created = false;
            return _instance ??= _rootServices.GetRequiredService<TService>();
        }

        if (_standalone)
        {
            created = true;
            return ServiceActivator<TService>.CreateStandalone();
        }

        return ServiceActivator<TService>.Create(httpContext.RequestServices, out created);
    }
}
