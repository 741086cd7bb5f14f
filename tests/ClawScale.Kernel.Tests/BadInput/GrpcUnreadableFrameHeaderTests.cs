using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// A message whose compressed flag is neither 0 nor 1, or whose length prefix is 2³¹ or more (gRPC over HTTP/2,
/// Length-Prefixed-Message): grpc-dotnet rejects it inside its frame reader, before any extension point, with UNKNOWN
/// "Exception was thrown by handler." and logs the exception at Error. The kernel cannot change that answer without re-implementing framing; this test pins
/// the behaviour (its own kernel, since the Error entry stays in the log) so that a grpc-dotnet change is noticed.
/// </summary>
public sealed class GrpcUnreadableFrameHeaderTests(BadInputKernelFixture fixture) : IClassFixture<BadInputKernelFixture>
{
    [SkippableTheory]
    [InlineData(2, null)]
    [InlineData(0, uint.MaxValue)]
    public async Task A_frame_header_grpc_dotnet_cannot_read_is_unknown_and_the_kernel_keeps_serving(byte flag, uint? announcedLength)
    {
        var k = fixture.Host;
        await k.CreateTenantAsync();
        using var connection = new RawGrpcConnection(k.GrpcAddress);
        var request = new ListTenantsRequest { PageSize = 50 }.ToByteArray();

        var response = await connection.SendAsync("/clawscale.v1.AdminService/ListTenants", new ByteArrayContent(RawGrpcConnection.Frame(request, flag, announcedLength)), k.AdminKey);

        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == "2", $"expected grpc-dotnet's UNKNOWN, got {response}");
        Assert.Empty(response.Body);
        Assert.Contains(k.Logs.Entries, e => e.Level >= LogLevel.Error && e.Exception is not null);
        await GrpcBadFramesTests.AssertServesAsync(k, connection);
    }
}
