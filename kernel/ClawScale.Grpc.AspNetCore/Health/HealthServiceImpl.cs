using Grpc.Core;
using Grpc.Health.V1;

namespace ClawScale.Grpc.AspNetCore.Health;

/// <summary>The <c>grpc.health.v1.Health</c> implementation over <see cref="HealthServiceState"/>.</summary>
internal sealed class HealthServiceImpl(HealthServiceState state) : global::Grpc.Health.V1.Health.HealthBase
{
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        if (!state.TryGetStatus(request.Service, out var status))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Service '{request.Service}' is unknown to the health service."));
        }

        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var reader = state.Subscribe(request.Service, out var unsubscribe);
        try
        {
            await foreach (var status in reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status }).ConfigureAwait(false);
            }
        }
        finally
        {
            unsubscribe();
        }
    }
}
