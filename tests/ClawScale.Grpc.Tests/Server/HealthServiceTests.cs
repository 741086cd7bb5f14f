using ClawScale.Grpc.AspNetCore.Health;
using ClawScale.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace ClawScale.Grpc.Tests.Server;

public sealed class HealthServiceTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Check_of_the_server_is_SERVING()
    {
        using var channel = server.CreateChannel();
        var client = new Health.HealthClient(channel);

        var response = await client.CheckAsync(new HealthCheckRequest { Service = "" });

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_of_an_unknown_service_is_NOT_FOUND()
    {
        using var channel = server.CreateChannel();
        var client = new Health.HealthClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Check_reflects_SetStatus()
    {
        var state = server.Services.GetRequiredService<HealthServiceState>();
        state.SetStatus("svc.check", ServingStatus.NotServing);
        using var channel = server.CreateChannel();
        var client = new Health.HealthClient(channel);

        var response = await client.CheckAsync(new HealthCheckRequest { Service = "svc.check" });

        Assert.Equal(ServingStatus.NotServing, response.Status);
    }

    [Fact]
    public async Task Watch_streams_SERVICE_UNKNOWN_then_every_change()
    {
        var state = server.Services.GetRequiredService<HealthServiceState>();
        using var channel = server.CreateChannel();
        var client = new Health.HealthClient(channel);
        using var cts = new CancellationTokenSource(Bound);

        using var call = client.Watch(new HealthCheckRequest { Service = "svc.watch" }, cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);

        state.SetStatus("svc.watch", ServingStatus.Serving);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);

        state.SetStatus("svc.watch", ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);

        state.ClearStatus("svc.watch");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);
    }
}
