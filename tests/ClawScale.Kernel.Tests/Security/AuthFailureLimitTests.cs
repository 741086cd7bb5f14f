using System.Net;
using System.Net.Sockets;
using ClawScale.Kernel.Security;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Security;

/// <summary>
/// The failed-authentication limit through the real host over HTTP/2: once one address has failed the limit, its
/// unknown keys are refused with RESOURCE_EXHAUSTED and a retry-after trailer without a database lookup, while a key
/// already verified still works from it and a correct key from another address (127.0.0.2) is checked as usual.
/// </summary>
public sealed class AuthFailureLimitTests
{
    private const int Limit = 3;

    [Fact]
    public async Task After_the_limit_an_address_is_refused_without_a_database_lookup_and_other_addresses_are_not()
    {
        await using var k = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["ClawScale:Security:AuthFailureLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ClawScale:Security:AuthFailureWindow"] = "00:05:00",
        });
        var authenticator = k.App.Services.GetRequiredService<ApiKeyAuthenticator>();
        // The admin key is verified (and cached) before the address gets limited; a tenant key is made but not used.
        var (_, tenantKey) = await k.CreateTenantAsync();
        var wrong = KernelHost.Auth("csk_" + new string('w', 43));

        var lookupsBefore = authenticator.DatabaseLookups;
        for (var i = 0; i < Limit; i++)
            await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => k.Admin.ListTenantsAsync(new ListTenantsRequest(), wrong).ResponseAsync);
        Assert.Equal(lookupsBefore + Limit, authenticator.DatabaseLookups);

        // Limited: answered at once, no lookup, however many calls.
        for (var i = 0; i < 20; i++)
        {
            var refused = await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => k.Admin.ListTenantsAsync(new ListTenantsRequest(), wrong).ResponseAsync, "Retry after");
            var retryAfter = int.Parse(refused.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 300);
        }

        // A key not yet verified is not checked from the limited address either; the verified admin key still works.
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => k.Admin.ListAgentsAsync(new ListAgentsRequest(), KernelHost.Auth(tenantKey)).ResponseAsync);
        await k.Admin.ListTenantsAsync(new ListTenantsRequest(), k.AdminAuth);
        Assert.Equal(lookupsBefore + Limit, authenticator.DatabaseLookups);

        // Another address: its correct key is looked up and accepted, its wrong key answered UNAUTHENTICATED.
        using (var other = OtherAddressChannel(k.GrpcAddress))
        {
            var admin = new AdminService.AdminServiceClient(other);
            await admin.ListAgentsAsync(new ListAgentsRequest(), KernelHost.Auth(tenantKey));
            await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => admin.ListTenantsAsync(new ListTenantsRequest(), wrong).ResponseAsync);
        }

        Assert.Equal(lookupsBefore + Limit + 2, authenticator.DatabaseLookups);
        var episode = Assert.Single(k.Logs.Entries, e => e.EventId.Id == 1205 && e.Category.EndsWith(nameof(AuthFailureLimiter), StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, episode.Level);
        Assert.Contains("127.0.0.1", episode.Message);
        Assert.Equal(Limit + 1, k.Logs.Entries.Count(e => e.EventId.Id == 1202 && e.Category.EndsWith(nameof(ApiKeyAuthInterceptor), StringComparison.Ordinal)));
        k.AssertNoUnexpectedErrors();
    }

    /// <summary>A gRPC channel whose connections come from 127.0.0.2 (Linux routes all of 127.0.0.0/8 to loopback).</summary>
    private static GrpcChannel OtherAddressChannel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        },
    });
}
