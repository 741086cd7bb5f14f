using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Google.Protobuf;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// Malformed gRPC requests against the real kernel over real HTTP/2 (h2c prior knowledge, hand-built frames on a raw
/// HttpClient): each is answered with the status the gRPC over HTTP/2 spec (PROTOCOL-HTTP2.md) and grpc-dotnet give,
/// the call's HTTP/2 stream ends without taking the connection down, and the kernel goes on serving normal calls on
/// the same connection and on a new one. (Oversized and malformed-protobuf calls through the C# client are in
/// Interop/GrpcInteropTests; the server is grpc-dotnet's Grpc.AspNetCore.)
/// </summary>
public sealed class GrpcBadFramesTests(SqliteKernelFixture fixture) : IClassFixture<SqliteKernelFixture>
{
    private const string ListTenants = "/clawscale.v1.AdminService/ListTenants";

    /// <summary>The kernel's default ClawScale:Grpc:MaxReceiveMessageSize (4 MiB).</summary>
    private const uint MaxReceive = 4 * 1024 * 1024;

    private static readonly byte[] ValidRequest = new ListTenantsRequest { PageSize = 50 }.ToByteArray();

    /// <summary>Each bad request: its body, content type and extra headers, and the expected HTTP status, grpc-status and message.</summary>
    private static readonly Dictionary<string, (byte[] Body, string ContentType, (string, string)[] Headers, int Http, string? Status, string? Message)> Cases = new()
    {
        // Spec: a Length-Prefixed-Message must be complete when the stream ends; grpc-dotnet: INTERNAL "Incomplete message.".
        ["prefix announces more bytes than the body carries"] = (RawGrpcConnection.Frame(ValidRequest, announcedLength: 100), "application/grpc", [], 200, "13", "Incomplete message"),
        ["stream ends inside the 5-byte prefix"] = ([0, 0, 0], "application/grpc", [], 200, "13", "Incomplete message"),
        // A unary call takes exactly one message.
        // grpc-dotnet reads a unary request to its end: an empty body is an incomplete message.
        ["unary call without a message"] = ([], "application/grpc", [], 200, "13", "Incomplete message"),
        ["unary call with two messages"] = ([.. RawGrpcConnection.Frame(ValidRequest), .. RawGrpcConnection.Frame(ValidRequest)], "application/grpc", [], 200, "13", "Additional data"),
        // Spec: RESOURCE_EXHAUSTED over the receive limit; the prefix alone decides (the body here is empty).
        ["prefix above the receive limit"] = (RawGrpcConnection.Frame([], announcedLength: MaxReceive + 1), "application/grpc", [], 200, "8", "exceeds the maximum configured message size"),
        // Compression spec: a compressed message needs a grpc-encoding; grpc-dotnet: INTERNAL.
        ["compressed flag without grpc-encoding"] = (RawGrpcConnection.Frame(RawGrpcConnection.Gzip(ValidRequest), flag: 1), "application/grpc", [], 200, "13", "grpc-encoding"),
        // Status code guide: data that does not decompress with a supported algorithm is INTERNAL (DecompressionErrorProvider).
        ["gzip flag with corrupt gzip data"] = (RawGrpcConnection.Frame([1, 2, 3, 4, 5, 6, 7, 8], flag: 1), "application/grpc", [("grpc-encoding", "gzip")], 200, "13", "could not be decompressed"),
        // Compression spec: a compressed message in an encoding the server does not support is UNIMPLEMENTED, listing
        // the supported ones. (An uncompressed message, flag 0, is read whatever grpc-encoding says.)
        ["unsupported grpc-encoding"] = (RawGrpcConnection.Frame(RawGrpcConnection.Gzip(ValidRequest), flag: 1), "application/grpc", [("grpc-encoding", "br")], 200, "12", "'br'"),
        // Field 2 (a string) announces 5 bytes and carries 1: not a parseable ListTenantsRequest. grpc-java and
        // grpc-go answer INTERNAL for a request that does not parse; so does this kernel.
        ["invalid protobuf"] = (RawGrpcConnection.Frame([0x12, 0x05, 0x61]), "application/grpc", [], 200, "13", "not a valid ListTenantsRequest protobuf message"),
        // Spec: "If Content-Type does not begin with application/grpc, gRPC servers SHOULD respond with HTTP status of
        // 415 (Unsupported Media Type)."
        ["content-type that is not application/grpc"] = (RawGrpcConnection.Frame(ValidRequest), "application/json", [], 415, null, null),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [SkippableTheory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_request_gets_its_status_and_the_kernel_serves_the_same_and_a_new_connection(string name)
    {
        var k = fixture.Host;
        await k.CreateTenantAsync(); // so that a normal ListTenants call has something to return
        var (body, contentType, headers, http, status, message) = Cases[name];
        using var connection = new RawGrpcConnection(k.GrpcAddress);

        var response = await connection.SendAsync(ListTenants, new ByteArrayContent(body), k.AdminKey, contentType, headers);

        Assert.True(response.HttpStatus == http, $"{name}: expected HTTP {http}, got {response}");
        // With the 415, grpc-dotnet also sends grpc-status INTERNAL, for clients that only look at grpc-status.
        var expectedStatus = status ?? "13";
        Assert.True(response.GrpcStatus == expectedStatus, $"{name}: expected grpc-status {expectedStatus}, got {response}");
        if (message is not null) Assert.Contains(message, response.GrpcMessage ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(response.Body);

        await AssertServesAsync(k, connection, expectedConnections: 1);
        using var fresh = new RawGrpcConnection(k.GrpcAddress);
        await AssertServesAsync(k, fresh, expectedConnections: 1);
        Assert.NotEmpty((await k.Admin.ListTenantsAsync(new ListTenantsRequest(), k.AdminAuth)).Tenants);
        k.AssertNoUnexpectedErrors();
    }

    [SkippableTheory]
    [InlineData(MaxReceive + 1)]
    [InlineData(int.MaxValue)]
    public async Task Prefix_above_the_limit_is_answered_before_the_announced_bytes_arrive(uint announced)
    {
        var k = fixture.Host;
        await k.CreateTenantAsync();
        using var connection = new RawGrpcConnection(k.GrpcAddress);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // Only the 5-byte prefix is sent, and the request stream stays open: a server that waited for (or buffered)
            // the announced bytes would never answer, and the connection's 60 s bound would fail the test.
            var response = await connection.SendAsync(ListTenants, new HeldOpenContent(RawGrpcConnection.Frame([], announcedLength: announced), release.Task), k.AdminKey);

            Assert.True(response.GrpcStatus == "8", $"expected RESOURCE_EXHAUSTED, got {response}");
            // grpc-dotnet's message names neither size.
            Assert.Contains("exceeds the maximum configured message size", response.GrpcMessage, StringComparison.Ordinal);
            Assert.False(release.Task.IsCompleted);
        }
        finally
        {
            release.TrySetResult();
        }

        await AssertServesAsync(k, connection, expectedConnections: 1);
        k.AssertNoUnexpectedErrors();
    }

    /// <summary>The same check, for other tests of the same kind.</summary>
    internal static Task AssertServesAsync(KernelHost k, RawGrpcConnection connection) => AssertServesAsync(k, connection, expectedConnections: 1);

    /// <summary>A normal ListTenants call on <paramref name="connection"/> succeeds without opening another connection.</summary>
    private static async Task AssertServesAsync(KernelHost k, RawGrpcConnection connection, int expectedConnections)
    {
        var response = await connection.SendAsync(ListTenants, new ByteArrayContent(RawGrpcConnection.Frame(ValidRequest)), k.AdminKey);

        Assert.True(response.GrpcStatus == "0", $"the normal call failed: {response}");
        Assert.Equal(0, response.Body[0]);
        Assert.NotEmpty(ListTenantsResponse.Parser.ParseFrom(response.Body.AsSpan(RawGrpcConnection.MessageHeaderSize).ToArray()).Tenants);
        Assert.Equal(expectedConnections, connection.Connections);
    }
}
