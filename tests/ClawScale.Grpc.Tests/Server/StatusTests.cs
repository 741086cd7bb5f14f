using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Server;

public sealed class StatusTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    public static TheoryData<StatusCode> NonOkCodes()
    {
        var data = new TheoryData<StatusCode>();
        foreach (var code in Enum.GetValues<StatusCode>().Where(c => c != StatusCode.OK))
        {
            data.Add(code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NonOkCodes))]
    public async Task Every_status_code_round_trips_with_detail_and_trailers(StatusCode code)
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);
        var detail = $"détail 100% for {code}\nline2";

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.FailWithAsync(new StatusRequest { Code = (int)code, Detail = detail, WithTrailers = true }).ResponseAsync);

        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(detail, ex.Status.Detail);
        Assert.Equal("text-value", ex.Trailers.GetValue("x-error-info"));
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, ex.Trailers.GetValueBytes("x-error-bin"));
        Assert.Equal(new byte[] { 8, (byte)code }, ex.Trailers.GetValueBytes("grpc-status-details-bin"));
        Assert.Null(ex.Trailers.Get("grpc-status"));
        Assert.Null(ex.Trailers.Get("grpc-message"));
    }

    [Fact]
    public async Task Error_before_any_message_is_trailers_only_on_the_wire()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/FailWith", RawGrpc.Frame(new StatusRequest { Code = (int)StatusCode.NotFound, Detail = "nope" }));

        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("5", response.Headers["grpc-status"]);
        Assert.Equal("nope", response.Headers["grpc-message"]);
        Assert.Empty(response.Body);
        Assert.False(response.Trailers.ContainsKey("grpc-status"));
    }

    [Fact]
    public async Task Success_carries_status_in_trailers_not_headers()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/Echo", RawGrpc.Frame(new EchoRequest { Text = "x" }));

        Assert.Equal(200, response.HttpStatus);
        Assert.False(response.Headers.ContainsKey("grpc-status"));
        Assert.Equal("0", response.Trailers["grpc-status"]);
        Assert.Equal(0, response.Body[0]);
        Assert.Equal("x", EchoReply.Parser.ParseFrom(response.Body.AsSpan(5).ToArray()).Text);
    }

    [Fact]
    public async Task Handler_exception_becomes_UNKNOWN_without_exception_text()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ThrowAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Equal("Exception was thrown by handler.", ex.Status.Detail);
        Assert.DoesNotContain("secret", ex.Status.Detail);
        Assert.Contains(server.Logs.Entries, e => e.EventId.Id == 1 && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Unknown_service_is_UNIMPLEMENTED_naming_the_service()
    {
        using var channel = server.CreateChannel();
        var client = new OtherService.OtherServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Contains("clawscale.test.v1.OtherService", ex.Status.Detail);
    }

    [Fact]
    public async Task Unknown_method_is_UNIMPLEMENTED_naming_the_method()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/NoSuchMethod", RawGrpc.Frame(new EchoRequest()));

        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("12", response.GrpcStatus);
        Assert.Contains("NoSuchMethod", response.GrpcMessage);
        Assert.Contains("clawscale.test.v1.TestService", response.GrpcMessage);
    }

    [Fact]
    public async Task Method_not_overridden_is_UNIMPLEMENTED()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.NotOverriddenAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Non_grpc_content_type_on_a_grpc_route_is_HTTP_415()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/Echo", "{}"u8.ToArray(), "application/json");

        Assert.Equal(415, response.HttpStatus);
    }

    [Fact]
    public async Task Non_grpc_content_type_on_unknown_route_is_not_answered_by_the_catch_all()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/some.Service/Method", "{}"u8.ToArray(), "application/json");

        Assert.Equal(404, response.HttpStatus);
        Assert.Null(response.GrpcStatus);
    }

    [Fact]
    public async Task Malformed_protobuf_is_INTERNAL_with_a_clear_message()
    {
        using var http = server.CreateRawClient();

        // 0xFF... is an invalid tag/varint sequence.
        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/Echo", RawGrpc.Frame(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }));

        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("invalid protobuf", response.GrpcMessage);
    }

    [Fact]
    public async Task Truncated_frame_is_INTERNAL()
    {
        using var http = server.CreateRawClient();
        var frame = RawGrpc.Frame(new EchoRequest { Text = "truncated message body" });

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/Echo", frame[..^4]);

        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("Incomplete message", response.GrpcMessage);
    }

    [Fact]
    public async Task Unary_without_request_message_is_INTERNAL()
    {
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/Echo", []);

        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("did not contain a message", response.GrpcMessage);
    }

    [Fact]
    public async Task Unary_with_two_request_messages_is_INTERNAL()
    {
        using var http = server.CreateRawClient();
        var frame = RawGrpc.Frame(new EchoRequest { Text = "one" });

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/Echo", [.. frame, .. frame]);

        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("Additional data", response.GrpcMessage);
    }

    [Fact]
    public async Task Unexpected_errors_are_not_logged_by_normal_calls()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        await client.EchoAsync(new EchoRequest { Text = "fine" });

        // Event 1 (handler exception) is expected from the Throw test sharing this server.
        Assert.Empty(server.UnexpectedErrors(1));
    }
}

public sealed class DetailedErrorsTests(DetailedErrorsServer server) : IClassFixture<DetailedErrorsServer>
{
    [Fact]
    public async Task Handler_exception_text_is_sent_when_detailed_errors_are_on()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ThrowAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Contains("secret detail 42", ex.Status.Detail);
        Assert.Contains("InvalidOperationException", ex.Status.Detail);
    }
}
