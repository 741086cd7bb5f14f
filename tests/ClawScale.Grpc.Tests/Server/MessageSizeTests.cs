using ClawScale.Grpc.Client;
using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Google.Protobuf;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Server;

public sealed class MessageSizeTests(SmallMessagesServer server) : IClassFixture<SmallMessagesServer>
{
    [Fact]
    public async Task Request_over_server_limit_is_RESOURCE_EXHAUSTED_with_sizes()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("limit 1024 bytes", ex.Status.Detail);
        Assert.Contains("Received message", ex.Status.Detail);
    }

    [Fact]
    public async Task Response_over_server_send_limit_is_RESOURCE_EXHAUSTED()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { ReplySize = 2000 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("Sending message exceeds", ex.Status.Detail);
    }

    [Fact]
    public async Task Messages_under_the_limits_pass()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var reply = await client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[900]), ReplySize = 900 });

        Assert.Equal(900, reply.Payload.Length);
    }

    [Fact]
    public async Task Response_over_client_receive_limit_is_RESOURCE_EXHAUSTED()
    {
        using var channel = server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 100 });
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { ReplySize = 500 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("limit 100 bytes", ex.Status.Detail);
    }

    [Fact]
    public async Task Request_over_client_send_limit_is_RESOURCE_EXHAUSTED_before_sending()
    {
        using var channel = server.CreateChannel(new GrpcChannelOptions { MaxSendMessageSize = 100 });
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[500]) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("Sending message exceeds", ex.Status.Detail);
    }

    [Fact]
    public async Task Streamed_request_over_server_limit_is_RESOURCE_EXHAUSTED()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ClientStream();
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "ok" });
        try
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[5000]) });
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may end the call before the client finished writing.
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }
}
