using ClawScale.Grpc.AspNetCore.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// Publishes the kernel's health checks (database, plugins) to <c>grpc.health.v1.Health</c>: the overall status ("")
/// and each <c>clawscale.v1</c> service are SERVING while healthy or degraded and NOT_SERVING when unhealthy (for
/// example the database is unreachable), so load balancers and Watch clients see it.
/// </summary>
internal sealed class GrpcHealthPublisher(HealthServiceState state) : IHealthCheckPublisher
{
    public static readonly string[] Services =
    [
        "clawscale.v1.AdminService", "clawscale.v1.IdentityService", "clawscale.v1.RoutingService",
        "clawscale.v1.DeliveryService", "clawscale.v1.RuntimeService",
    ];

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var status = report.Status == HealthStatus.Unhealthy ? ServingStatus.NotServing : ServingStatus.Serving;
        state.SetStatus(string.Empty, status);
        foreach (var service in Services) state.SetStatus(service, status);
        return Task.CompletedTask;
    }
}
