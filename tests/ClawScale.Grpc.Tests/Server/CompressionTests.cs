using ClawScale.Grpc.Client;
using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Server;

public sealed class CompressionTests(GzipServer server) : IClassFixture<GzipServer>
{
    private const string EchoPath = "/clawscale.test.v1.TestService/Echo";

    [Fact]
    public async Task Response_is_gzip_compressed_when_the_client_accepts_gzip()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, EchoPath, RawGrpc.Frame(new EchoRequest { Text = new string('z', 200) }), "application/grpc", ("grpc-accept-encoding", "identity, gzip"));

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("gzip", response.Headers["grpc-encoding"]);
        Assert.Equal(1, response.Body[0]);
        var payload = GrpcGzip.Decompress(new System.Buffers.ReadOnlySequence<byte>(response.Body.AsMemory(5)), null);
        Assert.Equal(new string('z', 200), EchoReply.Parser.ParseFrom(payload).Text);
    }

    [Fact]
    public async Task Response_is_not_compressed_when_the_client_does_not_accept_gzip()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, EchoPath, RawGrpc.Frame(new EchoRequest { Text = "plain" }));

        Assert.Equal("0", response.GrpcStatus);
        Assert.False(response.Headers.ContainsKey("grpc-encoding"));
        Assert.Equal(0, response.Body[0]);
    }

    [Fact]
    public async Task Gzip_compressed_request_is_accepted()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, EchoPath, RawGrpc.GzipFrame(new EchoRequest { Text = "compressed request" }), "application/grpc", ("grpc-encoding", "gzip"));

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("compressed request", EchoReply.Parser.ParseFrom(response.Body.AsSpan(5).ToArray()).Text);
    }

    [Fact]
    public async Task Unsupported_request_encoding_is_UNIMPLEMENTED_listing_supported_encodings()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, EchoPath, RawGrpc.Frame(new EchoRequest()), "application/grpc", ("grpc-encoding", "br"));

        Assert.Equal("12", response.GrpcStatus);
        Assert.Contains("gzip", response.Headers["grpc-accept-encoding"]);
        Assert.Contains("'br'", response.GrpcMessage);
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_is_INTERNAL()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, EchoPath, RawGrpc.GzipFrame(new EchoRequest { Text = "x" }));

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Client_compresses_requests_when_the_channel_asks_and_reads_compressed_responses()
    {
        var capture = new CapturingHandler();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = capture, RequestCompressionAlgorithm = "gzip", DisposeHttpClient = true });
        var client = new TestService.TestServiceClient(channel);

        var reply = await client.EchoAsync(new EchoRequest { Text = new string('q', 300) });

        Assert.Equal(new string('q', 300), reply.Text);
        Assert.Equal(1, capture.LastBody![0]);
        Assert.Equal("gzip", capture.LastHeaders!["grpc-encoding"]);
        Assert.Contains("gzip", capture.LastHeaders["grpc-accept-encoding"]);
        Assert.Equal("gzip", capture.LastResponseEncoding);
    }

    [Fact]
    public async Task Per_call_metadata_turns_request_compression_on_and_is_not_sent()
    {
        var capture = new CapturingHandler();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = capture, DisposeHttpClient = true });
        var client = new TestService.TestServiceClient(channel);

        var reply = await client.EchoAsync(new EchoRequest { Text = "per call" }, new Metadata { { "grpc-internal-encoding-request", "gzip" } });

        Assert.Equal("per call", reply.Text);
        Assert.Equal(1, capture.LastBody![0]);
        Assert.False(capture.LastHeaders!.ContainsKey("grpc-internal-encoding-request"));
    }

    [Fact]
    public async Task Client_without_compression_sends_uncompressed_frames()
    {
        var capture = new CapturingHandler();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = capture, DisposeHttpClient = true });
        var client = new TestService.TestServiceClient(channel);

        await client.EchoAsync(new EchoRequest { Text = "plain" });

        Assert.Equal(0, capture.LastBody![0]);
        Assert.False(capture.LastHeaders!.ContainsKey("grpc-encoding"));
    }

    private sealed class CapturingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public byte[]? LastBody { get; private set; }

        public Dictionary<string, string>? LastHeaders { get; private set; }

        public string? LastResponseEncoding { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastBody = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            LastHeaders = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var response = await base.SendAsync(request, cancellationToken);
            LastResponseEncoding = response.Headers.TryGetValues("grpc-encoding", out var values) ? values.First() : null;
            return response;
        }
    }
}
