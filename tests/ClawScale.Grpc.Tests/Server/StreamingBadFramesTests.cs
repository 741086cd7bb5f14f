using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;

namespace ClawScale.Grpc.Tests.Server;

/// <summary>
/// Bad frames on a request stream (the unary cases are in <see cref="StatusTests"/>): a good message followed by a bad
/// one ends the call with the status of the bad one, as grpc-dotnet's ReadStreamMessageAsync does, and after messages
/// were already answered (duplex) the status comes in the trailers.
/// </summary>
public sealed class StreamingBadFramesTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private static readonly byte[] Good = RawGrpc.Frame(new EchoRequest { Text = "good" });

    public static TheoryData<string, byte[], string, string> BadSecondFrames() => new()
    {
        { "truncated frame", RawGrpc.Frame(new EchoRequest { Text = "cut short" })[..^3], "13", "Incomplete message" },
        { "truncated prefix", [0, 0], "13", "Incomplete message" },
        { "compressed flag 2", [2, .. Good[1..]], "13", "compressed flag" },
        { "compressed without grpc-encoding", RawGrpc.GzipFrame(new EchoRequest { Text = "z" }), "13", "grpc-encoding" },
        { "invalid protobuf", RawGrpc.Frame(new byte[] { 0x0A, 0x05, 0x61 }), "13", "invalid protobuf" },
    };

    [Theory]
    [MemberData(nameof(BadSecondFrames))]
    public async Task Client_stream_with_a_bad_second_frame_ends_with_its_status(string name, byte[] bad, string status, string message)
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/ClientStream", [.. Good, .. bad]);

        Assert.True(response.GrpcStatus == status, $"{name}: expected grpc-status {status}, got {response.GrpcStatus} '{response.GrpcMessage}'");
        Assert.Contains(message, response.GrpcMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(response.Body);
        var next = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/ClientStream", [.. Good, .. Good]);
        Assert.Equal("0", next.GrpcStatus);
        Assert.Equal("good,good", EchoReply.Parser.ParseFrom(next.Body.AsSpan(5).ToArray()).Text);
        Assert.Empty(server.UnexpectedErrors(1));
    }

    [Fact]
    public async Task Duplex_answers_the_good_message_then_reports_the_truncated_one_in_trailers()
    {
        using var http = server.CreateRawClient();
        var truncated = RawGrpc.Frame(new EchoRequest { Text = "cut short" })[..^3];

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/Duplex", [.. Good, .. truncated]);

        Assert.Equal("13", response.Trailers["grpc-status"]);
        Assert.Contains("Incomplete message", response.GrpcMessage, StringComparison.Ordinal);
        Assert.Equal("echo:good", EchoReply.Parser.ParseFrom(response.Body.AsSpan(5).ToArray()).Text);
        Assert.Equal(5 + response.Body[4], response.Body.Length); // exactly one response message
    }
}
