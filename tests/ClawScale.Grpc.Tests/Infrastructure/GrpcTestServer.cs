using ClawScale.Grpc.AspNetCore;
using ClawScale.Grpc.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>
/// A real Kestrel host (127.0.0.1, port 0, HTTP/2 prior knowledge) serving the test service, health and
/// reflection. Subclasses choose the server options; xunit creates one per test class.
/// </summary>
public class GrpcTestServer : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    public CallProbe Probe { get; } = new();

    public LogCollector Logs { get; } = new();

    public IServiceProvider Services => _app!.Services;

    protected virtual void Configure(GrpcServerOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.Services.AddSingleton(Probe);
        builder.Services.AddGrpcServer(o =>
        {
            o.Interceptors.Add<CountingInterceptor>();
            Configure(o);
        });
        _app = builder.Build();
        _app.MapGrpcService<TestServiceImpl>();
        _app.MapGrpcHealthService();
        _app.MapGrpcReflectionService();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    public HttpClient CreateRawClient() => new(new SocketsHttpHandler())
    {
        BaseAddress = Address,
        DefaultRequestVersion = System.Net.HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>Log entries at Error or above, excluding the expected ones.</summary>
    public IReadOnlyList<string> UnexpectedErrors(params int[] expectedEventIds) =>
        [.. Logs.Entries.Where(e => e.Level >= LogLevel.Error && !expectedEventIds.Contains(e.EventId.Id)).Select(e => $"{e.Category} [{e.EventId}] {e.Message} {e.Exception}")];

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

public sealed class DefaultServer : GrpcTestServer;

public sealed class DetailedErrorsServer : GrpcTestServer
{
    protected override void Configure(GrpcServerOptions options) => options.EnableDetailedErrors = true;
}

public sealed class SmallMessagesServer : GrpcTestServer
{
    protected override void Configure(GrpcServerOptions options)
    {
        options.MaxReceiveMessageSize = 1024;
        options.MaxSendMessageSize = 1024;
    }
}

public sealed class GzipServer : GrpcTestServer
{
    protected override void Configure(GrpcServerOptions options) => options.ResponseCompressionAlgorithm = "gzip";
}
