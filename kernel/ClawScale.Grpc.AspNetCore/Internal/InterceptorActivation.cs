using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// Gets one configured interceptor for a call: an interceptor registered as a singleton is resolved once from the
/// root provider and reused; any other is resolved from (or created with) the request's DI scope per call.
/// </summary>
internal sealed class InterceptorActivation(Type type, IServiceProvider rootServices, bool singleton)
{
    private Interceptor? _instance;

    /// <summary>Whether every call shares one instance.</summary>
    public bool IsSingleton => singleton;

    /// <summary>The shared instance of a singleton interceptor.</summary>
    public Interceptor Singleton => _instance ??= (Interceptor)rootServices.GetRequiredService(type);

    public Interceptor Get(HttpContext httpContext) =>
        singleton ? Singleton : InterceptorActivator.Create(type, httpContext.RequestServices);
}
