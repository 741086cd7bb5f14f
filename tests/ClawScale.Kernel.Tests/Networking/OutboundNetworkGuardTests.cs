using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using ClawScale.Kernel.Networking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Networking;

/// <summary>
/// <see cref="OutboundNetworkGuard"/>'s handlers against real sockets on 127.0.0.1 and a scripted resolver: refusals
/// name the host, the address and the setting and are logged once; connections go to the vetted addresses; redirects
/// are not followed; WebSockets opened through the client are guarded; proxied requests are checked per request.
/// </summary>
public sealed class OutboundNetworkGuardTests
{
    [Fact]
    public async Task A_name_resolving_to_a_private_address_is_refused_naming_host_address_and_setting_and_logged_once()
    {
        var logger = new ListLogger();
        var guard = Guard(allow: false, logger, ("api.example.test", ["10.0.0.5"]));
        using var http = guard.CreateHttpClient();

        var first = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("http://api.example.test:8080/v1/models")));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("http://api.example.test:8080/v1/models")));

        Assert.Contains("'api.example.test'", first.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.5", first.Message, StringComparison.Ordinal);
        Assert.Contains("private (RFC 1918)", first.Message, StringComparison.Ordinal);
        Assert.Contains("ClawScale:Security:AllowPrivateNetworkTargets=true", first.Message, StringComparison.Ordinal);
        Assert.IsType<OutboundTargetRefusedException>(first.InnerException);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(2601, warning.EventId.Id);
        Assert.Contains("api.example.test", warning.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.5", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/", "127.0.0.1, a loopback address")]
    [InlineData("http://[::1]:9/", "::1, a loopback address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a link-local")]
    [InlineData("http://[::ffff:10.0.0.1]:9/", "IPv4-mapped form of 10.0.0.1")]
    [InlineData("http://0.0.0.0:9/", "unspecified")]
    [InlineData("http://[fe80::1]:9/", "link-local")]
    public async Task IP_literals_are_checked_too(string url, string expected)
    {
        var guard = Guard(allow: false, new ListLogger());
        using var http = guard.CreateHttpClient();
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(OutboundNetworkGuard.SettingKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_with_any_non_public_address_is_refused()
    {
        var guard = Guard(allow: false, new ListLogger(), ("mixed.example.test", ["93.184.216.34", "127.0.0.1"]));
        var ex = await Assert.ThrowsAsync<OutboundTargetRefusedException>(async () => await guard.ResolveAsync("mixed.example.test", CancellationToken.None));
        Assert.Equal(IPAddress.Loopback, ex.Address);
        Assert.Equal([IPAddress.Parse("93.184.216.34")], await guard.ResolveAsync("public.example.test", CancellationToken.None));
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_resolved_once_and_the_host_header_is_kept()
    {
        await using var server = await Server.StartAsync(app => app.Run(async http =>
            await http.Response.WriteAsync("host=" + http.Request.Host.Value)));
        var lookups = 0;
        var guard = new OutboundNetworkGuard(true, (host, _) =>
        {
            Interlocked.Increment(ref lookups);
            return Task.FromResult(host == "rebind.example.test" ? new[] { IPAddress.Loopback } : throw new InvalidOperationException(host));
        }, null, new ListLogger());
        using var http = guard.CreateHttpClient();

        var body = await http.GetStringAsync(new Uri($"http://rebind.example.test:{server.Port}/"));

        Assert.Equal($"host=rebind.example.test:{server.Port}", body);
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        var hits = new ConcurrentQueue<string>();
        await using var server = await Server.StartAsync(app => app.Run(http =>
        {
            hits.Enqueue(http.Request.Path);
            if (http.Request.Path == "/start") http.Response.Redirect("/elsewhere");
            return Task.CompletedTask;
        }));
        using var http = Guard(allow: true, new ListLogger()).CreateHttpClient();

        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/start"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(["/start"], hits.ToArray());
    }

    [Fact]
    public async Task A_WebSocket_opened_through_the_client_is_guarded()
    {
        await using var server = await Server.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Run(async http =>
            {
                using var socket = await http.WebSockets.AcceptWebSocketAsync();
                await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, http.RequestAborted);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, http.RequestAborted);
            });
        });
        var url = new Uri($"ws://localhost:{server.Port}/socket");

        using (var refused = new ClientWebSocket())
        using (var guarded = Guard(allow: false, new ListLogger()).CreateHttpClient())
        {
            var ex = await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(url, guarded, CancellationToken.None));
            var inner = Assert.IsType<HttpRequestException>(ex.InnerException);
            Assert.Contains("'localhost'", inner.Message, StringComparison.Ordinal);
            Assert.Contains(OutboundNetworkGuard.SettingKey, inner.Message, StringComparison.Ordinal);
        }

        using var allowed = new ClientWebSocket();
        using var http = Guard(allow: true, new ListLogger()).CreateHttpClient();
        await allowed.ConnectAsync(url, http, CancellationToken.None);
        var buffer = new byte[16];
        var received = await allowed.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    [Fact]
    public async Task Through_a_proxy_the_proxy_is_allowed_and_each_target_is_checked_before_it_is_sent()
    {
        var proxied = new ConcurrentQueue<string>();
        await using var proxy = await Server.StartAsync(app => app.Run(async http =>
        {
            proxied.Enqueue(http.Request.Host.Value ?? string.Empty);
            await http.Response.WriteAsync("via proxy");
        }));
        var guard = new OutboundNetworkGuard(false, Resolver(("public.example.test", ["93.184.216.34"]), ("internal.example.test", ["10.1.2.3"])),
            new WebProxy(new Uri($"http://127.0.0.1:{proxy.Port}")), new ListLogger());
        using var http = guard.CreateHttpClient();

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("http://internal.example.test/")));
        Assert.Contains("10.1.2.3", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("http://169.254.169.254/latest/meta-data/")));
        Assert.Empty(proxied);

        Assert.Equal("via proxy", await http.GetStringAsync(new Uri("http://public.example.test/")));
        Assert.Equal(["public.example.test"], proxied.ToArray());
    }

    private static OutboundNetworkGuard Guard(bool allow, ILogger logger, params (string Host, string[] Addresses)[] names) =>
        new(allow, Resolver(names), null, logger);

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(params (string Host, string[] Addresses)[] names) =>
        (host, _) =>
        {
            foreach (var (name, addresses) in names)
            {
                if (string.Equals(name, host, StringComparison.OrdinalIgnoreCase))
                    return Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());
            }

            if (host == "localhost") return Task.FromResult(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback });
            if (host == "public.example.test") return Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") });
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
        };

    /// <summary>Kestrel on 127.0.0.1, a free port.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Server(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<Server> StartAsync(Action<WebApplication> configure)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            configure(app);
            await app.StartAsync();
            return new Server(app, new Uri(app.Urls.First()).Port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}
