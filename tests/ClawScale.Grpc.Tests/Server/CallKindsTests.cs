using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Google.Protobuf;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Server;

public sealed class CallKindsTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Unary_call_round_trips_the_message()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var reply = await client.EchoAsync(new EchoRequest { Text = "héllo", Count = 7, Payload = ByteString.CopyFrom(1, 2, 3) });

        Assert.Equal("héllo", reply.Text);
        Assert.Equal(7, reply.Index);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Payload.ToByteArray());
        Assert.Equal("/clawscale.test.v1.TestService/Echo", server.Probe.LastMethod);
        Assert.StartsWith("ipv4:127.0.0.1:", server.Probe.LastPeer);
        Assert.Equal("HTTP/2", server.Probe.LastProtocol);
        Assert.Empty(server.UnexpectedErrors());
    }

    [Fact]
    public void Blocking_unary_call_works()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var reply = client.Echo(new EchoRequest { Text = "sync" });

        Assert.Equal("sync", reply.Text);
    }

    [Fact]
    public async Task Unary_call_reports_OK_status_and_interceptor_trailer()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);
        var before = Volatile.Read(ref server.Probe.InterceptorCalls);

        using var call = client.EchoAsync(new EchoRequest { Text = "x" });
        await call;

        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("unary", call.GetTrailers().GetValue("x-intercepted"));
        Assert.True(Volatile.Read(ref server.Probe.InterceptorCalls) > before);
    }

    [Fact]
    public async Task Server_streaming_call_returns_every_message_in_order()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ServerStream(new EchoRequest { Text = "s", Count = 5 });
        var replies = new List<EchoReply>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            replies.Add(reply);
        }

        Assert.Equal([0, 1, 2, 3, 4], replies.Select(r => r.Index));
        Assert.All(replies, r => Assert.Equal("s", r.Text));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("server-streaming", call.GetTrailers().GetValue("x-intercepted"));
    }

    [Fact]
    public async Task Server_streaming_with_zero_messages_ends_cleanly()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ServerStream(new EchoRequest { Count = 0 });

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Server_streaming_error_after_messages_arrives_in_trailers()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ServerStream(new EchoRequest { Text = "fail-after", Count = 2 });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("failed after messages", ex.Status.Detail);
        Assert.Equal("yes", ex.Trailers.GetValue("x-after"));
    }

    [Fact]
    public async Task Client_streaming_call_receives_all_messages()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ClientStream();
        foreach (var text in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text });
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call;

        Assert.Equal("a,b,c", reply.Text);
        Assert.Equal(3, reply.Index);
    }

    [Fact]
    public async Task Duplex_call_interleaves_requests_and_responses()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.Duplex();
        for (var i = 0; i < 3; i++)
        {
            // Each reply is read before the next request is sent: proves per-message flushing both ways.
            await call.RequestStream.WriteAsync(new EchoRequest { Text = "m" + i });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
            Assert.Equal("echo:m" + i, call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Request_and_response_metadata_round_trip_including_binary()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);
        var headers = new Metadata
        {
            { "x-custom", "custom-value" },
            { "x-data-bin", new byte[] { 0, 255, 10, 13 } },
        };

        using var call = client.HeadersAsync(new EchoRequest(), headers);
        var responseHeaders = await call.ResponseHeadersAsync;
        var reply = await call;

        Assert.Equal("custom-value", reply.Text);
        Assert.Equal(new byte[] { 0, 255, 10, 13 }, reply.Payload.ToByteArray());
        Assert.Equal("header-value", responseHeaders.GetValue("x-response"));
        Assert.Equal(new byte[] { 9, 8, 7 }, responseHeaders.GetValueBytes("x-response-bin"));
        var trailers = call.GetTrailers();
        Assert.Equal("trailer-value", trailers.GetValue("x-trailer"));
        Assert.Equal(new byte[] { 255, 0, 128 }, trailers.GetValueBytes("x-trailer-bin"));
    }

    [Fact]
    public async Task Many_concurrent_unary_calls_succeed()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.EchoAsync(new EchoRequest { Count = i }).ResponseAsync));

        Assert.Equal(Enumerable.Range(0, 200), replies.Select(r => r.Index));
    }
}
