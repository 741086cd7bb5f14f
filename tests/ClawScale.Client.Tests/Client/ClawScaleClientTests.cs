using ClawScale.Client;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Client.Tests.Client;

/// <summary><see cref="ClawScaleClient"/> against a real kernel (Kestrel HTTP/2, SQLite).</summary>
public sealed class ClawScaleClientTests(SqliteKernelFixture kernel) : IClassFixture<SqliteKernelFixture>
{
    [SkippableFact]
    public async Task Creates_and_lists_tenants_with_the_key_injected()
    {
        var host = kernel.Host;
        using var client = new ClawScaleClient(host.GrpcAddress, host.AdminKey);
        var slug = "c" + Guid.NewGuid().ToString("N")[..10];

        var created = (await client.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = "Client test" })).Tenant;
        var listed = await client.Admin.ListTenantsAsync(new ListTenantsRequest { PageSize = 500 });

        Assert.Equal(slug, created.Slug);
        Assert.Contains(listed.Tenants, t => t.Id == created.Id);
        host.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Without_a_key_the_kernel_answers_unauthenticated()
    {
        using var client = new ClawScaleClient(kernel.Host.GrpcAddress, apiKey: null);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => client.Admin.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync);
    }

    [SkippableFact]
    public async Task An_explicit_authorization_header_wins_over_the_configured_key()
    {
        using var client = new ClawScaleClient(kernel.Host.GrpcAddress, "csk_not_a_real_key_000000000000000000000000");
        var response = await client.Admin.ListTenantsAsync(new ListTenantsRequest(), KernelHost.Auth(kernel.Host.AdminKey));
        Assert.NotNull(response);
    }

    [SkippableFact]
    public async Task The_default_deadline_applies_to_calls_without_one()
    {
        // A deadline far shorter than any round trip: the call fails with DEADLINE_EXCEEDED, not after 30 s.
        using var client = new ClawScaleClient(new ClawScaleClientOptions
        {
            Address = kernel.Host.GrpcAddress, ApiKey = kernel.Host.AdminKey, DefaultDeadline = TimeSpan.FromTicks(1),
        });
        await RpcAssert.ThrowsAsync(StatusCode.DeadlineExceeded, () => client.Admin.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync);

        // A call's own deadline wins over the default.
        var own = await client.Admin.ListTenantsAsync(new ListTenantsRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.NotNull(own);
    }

    [SkippableFact]
    public async Task The_default_deadline_reaches_the_server_as_grpc_timeout()
    {
        var handler = new CountingHandler();
        using var client = new ClawScaleClient(new ClawScaleClientOptions
        {
            Address = kernel.Host.GrpcAddress, ApiKey = kernel.Host.AdminKey, HttpHandler = handler, DefaultDeadline = TimeSpan.FromSeconds(20),
        });
        await client.Admin.ListTenantsAsync(new ListTenantsRequest());
        var timeout = Assert.Single(handler.Requests).Headers.GetValues("grpc-timeout").Single();
        Assert.Matches("^[0-9]+[HMSmun]$", timeout);
        Assert.Equal("Bearer " + kernel.Host.AdminKey, handler.Requests[0].Headers.GetValues("authorization").Single());
    }

    [Fact]
    public async Task Unavailable_is_retried_with_backoff_then_surfaces_after_max_attempts()
    {
        await using var server = await UnavailableServer.StartAsync();
        using var client = new ClawScaleClient(new ClawScaleClientOptions
        {
            Address = server.Address, ApiKey = "csk_x",
            InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50),
        });

        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => client.Admin.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync);
        Assert.Equal(4, server.Calls);
    }

    [Fact]
    public async Task Retries_stop_with_max_attempts_one()
    {
        await using var server = await UnavailableServer.StartAsync();
        using var client = new ClawScaleClient(new ClawScaleClientOptions { Address = server.Address, MaxAttempts = 1 });
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => client.Admin.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync);
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task A_closed_port_is_unavailable()
    {
        using var client = new ClawScaleClient(new ClawScaleClientOptions { Address = new Uri($"http://127.0.0.1:{ClosedPort()}"), MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10) });
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => client.Admin.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync);
    }

    /// <summary>An h2c server on 127.0.0.1 that answers every gRPC call trailers-only with UNAVAILABLE (14), counting them.</summary>
    private sealed class UnavailableServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _calls;

        private UnavailableServer(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;

        public int Calls => Volatile.Read(ref _calls);

        public static async Task<UnavailableServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new UnavailableServer(app);
            app.MapPost("/{**method}", (HttpContext context) =>
            {
                Interlocked.Increment(ref server._calls);
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = "14";
                context.Response.Headers["grpc-message"] = "try again";
                return Task.CompletedTask;
            });
            await app.StartAsync();
            server.Address = new Uri(app.Urls.First());
            return server;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClawScaleClient(new ClawScaleClientOptions
        {
            Address = new Uri("ftp://x"), MaxAttempts = 0, DefaultDeadline = TimeSpan.Zero,
        }));
        Assert.Contains("Address", e.Message);
        Assert.Contains("MaxAttempts", e.Message);
        Assert.Contains("DefaultDeadline", e.Message);
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    internal static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
