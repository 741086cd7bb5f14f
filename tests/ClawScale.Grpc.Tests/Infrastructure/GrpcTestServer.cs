using ClawScale.Grpc.AspNetCore;
using ClawScale.Grpc.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
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

    protected virtual bool UseInterceptor => true;

    protected virtual void ConfigureListen(ListenOptions listen)
    {
    }

    protected virtual void Map(WebApplication app)
    {
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            ConfigureListen(listen);
        }));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.Services.AddSingleton(Probe);
        builder.Services.AddGrpcServer(o =>
        {
            if (UseInterceptor)
            {
                o.Interceptors.Add<CountingInterceptor>();
            }

            Configure(o);
        });
        ConfigureServices(builder.Services);
        _app = builder.Build();
        _app.MapGrpcService<TestServiceImpl>();
        _app.MapGrpcHealthService();
        _app.MapGrpcReflectionService();
        Map(_app);
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

        // A functional test fails when the host logged an error it did not expect. Event 1 (an exception thrown
        // by a handler) is provoked on purpose by the Throw tests.
        var unexpected = UnexpectedErrors(1);
        if (unexpected.Count > 0)
        {
            throw new InvalidOperationException("The test host logged unexpected errors:\n" + string.Join("\n", unexpected));
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

public sealed class TlsServer : GrpcTestServer
{
    public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; } = SelfSignedCertificate.Create();

    protected override void ConfigureListen(ListenOptions listen) => listen.UseHttps(Certificate);
}

/// <summary>Answers some gRPC paths with non-gRPC responses, to test the client's HTTP-to-status mapping.</summary>
public sealed class HttpErrorServer : GrpcTestServer
{
    protected override void Map(WebApplication app)
    {
        app.MapPost("/http.Errors/Unavailable", (HttpContext c) => { c.Response.StatusCode = 503; return Task.CompletedTask; });
        app.MapPost("/http.Errors/Unauthorized", (HttpContext c) => { c.Response.StatusCode = 401; return Task.CompletedTask; });
        app.MapPost("/http.Errors/Forbidden", (HttpContext c) => { c.Response.StatusCode = 403; return Task.CompletedTask; });
        app.MapPost("/http.Errors/NotFound", (HttpContext c) => { c.Response.StatusCode = 404; return Task.CompletedTask; });
        app.MapPost("/http.Errors/Teapot", (HttpContext c) => { c.Response.StatusCode = 418; return Task.CompletedTask; });
        app.MapPost("/http.Errors/PlainText", (HttpContext c) => c.Response.WriteAsync("not grpc"));
        app.MapPost("/http.Errors/NoStatus", async (HttpContext c) =>
        {
            c.Response.ContentType = "application/grpc";
            await c.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 0 });
        });
    }
}

/// <summary>Also maps a service with a parameterless constructor that is not registered in DI.</summary>
public sealed class StandaloneServiceServer : GrpcTestServer
{
    protected override bool UseInterceptor => false;

    protected override void Map(WebApplication app) => app.MapGrpcService<PingService>();
}

/// <summary>Maps a service and an interceptor that are both registered as singletons.</summary>
public sealed class SingletonServiceServer : GrpcTestServer
{
    protected override bool UseInterceptor => false;

    protected override void Configure(GrpcServerOptions options) => options.Interceptors.Add<SingletonInterceptor>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<SingletonPingService>();
        services.AddSingleton<SingletonInterceptor>();
    }

    protected override void Map(WebApplication app) => app.MapGrpcService<SingletonPingService>();
}

public sealed class IgnoreUnknownServicesServer : GrpcTestServer
{
    protected override void Configure(GrpcServerOptions options) => options.IgnoreUnknownServices = true;
}
