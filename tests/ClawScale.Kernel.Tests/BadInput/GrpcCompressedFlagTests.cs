using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// A message whose compressed flag is neither 0 nor 1 (gRPC over HTTP/2, Length-Prefixed-Message): grpc-dotnet rejects
/// it inside its frame reader, before any extension point, with UNKNOWN "Exception was thrown by handler." and logs the
/// InvalidDataException at Error. The kernel cannot change that answer without re-implementing framing; this test pins
/// the behaviour (its own kernel, since the Error entry stays in the log) so that a grpc-dotnet change is noticed.
/// </summary>
public sealed class GrpcCompressedFlagTests(BadInputKernelFixture fixture) : IClassFixture<BadInputKernelFixture>
{
    [SkippableFact]
    public async Task Compressed_flag_2_is_unknown_from_grpc_dotnet_and_the_kernel_keeps_serving()
    {
        var k = fixture.Host;
        await k.CreateTenantAsync();
        using var connection = new RawGrpcConnection(k.GrpcAddress);
        var request = new ListTenantsRequest { PageSize = 50 }.ToByteArray();

        var response = await connection.SendAsync("/clawscale.v1.AdminService/ListTenants", new ByteArrayContent(RawGrpcConnection.Frame(request, flag: 2)), k.AdminKey);

        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == "2", $"expected grpc-dotnet's UNKNOWN, got {response}");
        Assert.Empty(response.Body);
        var logged = Assert.Single(k.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.IsType<InvalidDataException>(logged.Exception);
        Assert.Contains("compressed flag", logged.Exception!.Message, StringComparison.Ordinal);
        await GrpcBadFramesTests.AssertServesAsync(k, connection);
    }
}
