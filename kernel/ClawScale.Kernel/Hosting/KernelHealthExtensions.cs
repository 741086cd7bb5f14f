using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// The kernel's health: ASP.NET Core health checks tagged <see cref="ReadyTag"/>, served over HTTP for Kubernetes-style
/// probes and over gRPC (<c>grpc.health.v1.Health</c>, see <c>GrpcServerExtensions</c>):
/// <list type="bullet">
/// <item><description><c>GET /livez</c>: liveness. Runs no check and depends on nothing (no database, no plugin): 200
/// <c>Healthy</c> whenever the process serves HTTP, so a database outage never gets the kernel restarted.</description></item>
/// <item><description><c>GET /readyz</c>: readiness, the checks tagged <see cref="ReadyTag"/>: <c>database</c>
/// (<see cref="DatabaseHealthCheck"/>: reachable, every migration applied), <c>plugins</c> (<see cref="PluginHealthCheck"/>:
/// the first load done; a failed plugin is Degraded) and <c>channel-listeners</c> (<see cref="ChannelListenerHealth"/>:
/// the supervisor that starts and restarts listeners is not stuck; a listener failing again and again is Degraded).
/// 200 when Healthy or Degraded, 503 when any is Unhealthy; the body is the overall status only (no check names or
/// errors on a port that may be public).</description></item>
/// <item><description><c>GET /healthz</c>: the same as <c>/readyz</c> (kept for existing probes and scripts).</description></item>
/// </list>
/// The checks also run every 10 s (<see cref="HealthCheckPublisherOptions"/>) to feed the gRPC health service's cache.
/// </summary>
internal static class KernelHealthExtensions
{
    /// <summary>Liveness path.</summary>
    public const string LivePath = "/livez";

    /// <summary>Readiness path.</summary>
    public const string ReadyPath = "/readyz";

    /// <summary>The original health path, an alias of <see cref="ReadyPath"/>.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The tag of the checks readiness (HTTP and gRPC) is made of.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers the readiness checks and the publisher that refreshes the gRPC health cache.</summary>
    public static IServiceCollection AddClawScaleHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<PluginHealthCheck>("plugins", tags: [ReadyTag])
            .AddCheck<ChannelListenerHealth>("channel-listeners", tags: [ReadyTag]);
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = TimeSpan.FromSeconds(10);
        });
        return services;
    }

    /// <summary>Maps <c>/livez</c>, <c>/readyz</c> and <c>/healthz</c>.</summary>
    public static IEndpointRouteBuilder MapClawScaleHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        var ready = new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag) };
        endpoints.MapHealthChecks(ReadyPath, ready);
        endpoints.MapHealthChecks(HealthPath, ready);
        return endpoints;
    }
}
