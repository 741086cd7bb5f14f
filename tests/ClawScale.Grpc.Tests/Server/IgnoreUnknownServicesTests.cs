using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Server;

public sealed class IgnoreUnknownServicesTests(IgnoreUnknownServicesServer server) : IClassFixture<IgnoreUnknownServicesServer>
{
    [Fact]
    public async Task Unknown_services_fall_through_to_a_404()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.OtherService/Ping", RawGrpc.Frame(new EchoRequest()));

        Assert.Equal(404, response.HttpStatus);
        Assert.Null(response.GrpcStatus);
    }

    [Fact]
    public async Task The_client_maps_the_404_to_UNIMPLEMENTED()
    {
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new OtherService.OtherServiceClient(channel).PingAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }
}
