using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Channels.WebChat;
using ClawScale.Kernel.Pipeline.Accept;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClawScale.Kernel.Tests.Channels.WebChat;

/// <summary>
/// A real kernel (SQLite) whose channel registry and ACCEPT stage are fakes: web chat channels are served by real
/// <see cref="WebChatAdapter"/>s, and every new message is answered at once with <c>echo: {text}</c>.
/// </summary>
public sealed class WebChatKernel : IAsyncLifetime
{
    /// <summary>A made-up web chat channel (no row in the database).</summary>
    public const string ChannelId = "webchat-test-channel";

    /// <summary>A channel whose origin list allows <see cref="AllowedOrigin"/>.</summary>
    public const string CorsChannelId = "webchat-cors-channel";

    /// <summary>A channel of another kind.</summary>
    public const string TelegramChannelId = "telegram-test-channel";

    /// <summary>An archived channel.</summary>
    public const string ArchivedChannelId = "webchat-archived-channel";

    public const string AllowedOrigin = "https://shop.example.com";

    public const string TenantId = "tenant-made-up";

    private KernelHost? _host;

    internal FakeChannelRegistry Registry { get; } = new();

    internal EchoInboundAcceptor Acceptor { get; } = new();

    public KernelHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _host = await KernelHost.StartAsync(TestDatabase.Sqlite(), services: s =>
        {
            s.RemoveAll<IChannelRegistry>();
            s.RemoveAll<IInboundAcceptor>();
            s.AddSingleton<IChannelRegistry>(Registry);
            s.AddSingleton<IInboundAcceptor>(Acceptor);
        });
        Http.BaseAddress = _host.HttpAddress;
        var services = _host.App.Services;
        Registry.Add(services, "webchat", ChannelId, TenantId, new Dictionary<string, string> { ["title"] = "Ask <Acme> & co", ["welcome"] = "Hi! How can we help?" });
        Registry.Add(services, "webchat", CorsChannelId, TenantId, new Dictionary<string, string> { ["allowed_origins"] = AllowedOrigin + ", http://localhost:3000" });
        Registry.Add(new ChannelHandle(TelegramChannelId, TenantId, "telegram", Registry.Add(services, "webchat", "scratch", TenantId).Adapter, "telegram"));
        Registry.AddProblem(ArchivedChannelId, "the channel is archived");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>A new random visitor id in the page's format (128 bits, base64url).</summary>
    public static string NewVisitorId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
