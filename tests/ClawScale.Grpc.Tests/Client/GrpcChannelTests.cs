using ClawScale.Grpc.Client;
using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Client;

public sealed class GrpcChannelTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Response_headers_of_a_stream_arrive_without_reading_a_message()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ServerStream(new EchoRequest { Text = "wait", Count = 1 });
        var headers = await call.ResponseHeadersAsync.WaitAsync(Bound);

        Assert.NotNull(headers);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
    }

    [Fact]
    public async Task Status_is_unavailable_until_the_call_completes()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ServerStream(new EchoRequest { Count = 1 });

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }

        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Writing_after_CompleteAsync_throws()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.ClientStream();
        await call.RequestStream.CompleteAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new EchoRequest()));
        Assert.Equal("", (await call).Text);
    }

    [Fact]
    public void Address_must_be_http_or_https()
    {
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress("ftp://127.0.0.1:1"));
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress("http://127.0.0.1:1", new GrpcChannelOptions { RequestCompressionAlgorithm = "br" }));
    }

    [Fact]
    public async Task Unreachable_server_is_UNAVAILABLE()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task A_caller_owned_HttpClient_is_used_and_not_disposed()
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        using (var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpClient = http }))
        {
            var reply = await new TestService.TestServiceClient(channel).EchoAsync(new EchoRequest { Text = "own client" });
            Assert.Equal("own client", reply.Text);
        }

        // Still usable after the channel is gone.
        using var again = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpClient = http });
        Assert.Equal("again", (await new TestService.TestServiceClient(again).EchoAsync(new EchoRequest { Text = "again" })).Text);
    }
}

public sealed class TlsChannelTests(TlsServer server) : IClassFixture<TlsServer>
{
    [Fact]
    public async Task Calls_work_over_TLS_with_ALPN_h2()
    {
        Assert.Equal("https", server.Address.Scheme);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == server.Certificate.GetCertHashString();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var client = new TestService.TestServiceClient(channel);

        var reply = await client.EchoAsync(new EchoRequest { Text = "secure" });
        using var call = client.Duplex();
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "tls" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.CompleteAsync();

        Assert.Equal("secure", reply.Text);
        Assert.Equal("echo:tls", call.ResponseStream.Current.Text);
    }
}

public sealed class HttpStatusMappingTests(HttpErrorServer server) : IClassFixture<HttpErrorServer>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private async Task<RpcException> CallAsync(string method)
    {
        using var channel = server.CreateChannel();
        var invoker = channel.CreateCallInvoker();
        var descriptor = new Method<byte[], byte[]>(MethodType.Unary, "http.Errors", method, Bytes, Bytes);
        return await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(descriptor, null, default, []).ResponseAsync);
    }

    [Theory]
    [InlineData("Unavailable", StatusCode.Unavailable)]
    [InlineData("Unauthorized", StatusCode.Unauthenticated)]
    [InlineData("Forbidden", StatusCode.PermissionDenied)]
    [InlineData("NotFound", StatusCode.Unimplemented)]
    [InlineData("Teapot", StatusCode.Unknown)]
    public async Task Http_errors_map_to_status_as_the_spec_says(string method, StatusCode expected)
    {
        var ex = await CallAsync(method);

        Assert.Equal(expected, ex.StatusCode);
        Assert.Contains("HTTP status code", ex.Status.Detail);
    }

    [Fact]
    public async Task Non_grpc_content_type_is_INTERNAL()
    {
        var ex = await CallAsync("PlainText");

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("content-type", ex.Status.Detail);
    }

    [Fact]
    public async Task Missing_grpc_status_is_INTERNAL()
    {
        var ex = await CallAsync("NoStatus");

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("No grpc-status", ex.Status.Detail);
    }
}
