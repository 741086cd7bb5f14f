using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Microsoft.Extensions.DependencyInjection;

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

public sealed class SingletonActivationTests(SingletonServiceServer server) : IClassFixture<SingletonServiceServer>
{
    [Fact]
    public async Task Singleton_service_and_interceptor_are_resolved_once_and_serve_every_call()
    {
        using var channel = server.CreateChannel();
        var client = new OtherService.OtherServiceClient(channel);
        var interceptor = server.Services.GetRequiredService<SingletonInterceptor>();
        var callsBefore = Volatile.Read(ref interceptor.Calls);

        var first = client.PingAsync(new EchoRequest { Text = "a" });
        var firstReply = await first;
        var second = await client.PingAsync(new EchoRequest { Text = "b" });

        Assert.Equal("pong:a", firstReply.Text);
        Assert.Equal("pong:b", second.Text);
        Assert.Equal(firstReply.Index + 1, second.Index);
        Assert.Equal(1, Volatile.Read(ref SingletonPingService.Created));
        Assert.Equal(1, Volatile.Read(ref SingletonInterceptor.Created));
        Assert.Equal(callsBefore + 2, Volatile.Read(ref interceptor.Calls));
        Assert.Equal("unary", first.GetTrailers().GetValue("x-singleton-intercepted"));
    }
}
