using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;

namespace ClawScale.Grpc.Tests.Server;

public sealed class ServiceActivationTests(StandaloneServiceServer server) : IClassFixture<StandaloneServiceServer>
{
    [Fact]
    public async Task Unregistered_service_is_created_per_call_and_disposed()
    {
        using var channel = server.CreateChannel();
        var client = new OtherService.OtherServiceClient(channel);
        var createdBefore = Volatile.Read(ref PingService.Created);

        var first = await client.PingAsync(new EchoRequest { Text = "a" });
        var second = await client.PingAsync(new EchoRequest { Text = "b" });

        Assert.Equal("pong:a", first.Text);
        Assert.Equal("pong:b", second.Text);
        Assert.True(second.Index > first.Index);
        Assert.Equal(createdBefore + 2, Volatile.Read(ref PingService.Created));
        await Wait.UntilAsync(() => Volatile.Read(ref PingService.Disposed) >= createdBefore + 2, "both instances are disposed");
    }
}
