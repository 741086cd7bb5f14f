using Grpc.Net.Client;
using ClawScale.Kernel.Hosting;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>
/// A real kernel for functional tests: the same <see cref="KernelApp"/> as Program, on real Kestrel (ports chosen by
/// the OS on 127.0.0.1), with a real database (SQLite file or a fresh PostgreSQL database) and a temp data folder.
/// </summary>
public sealed class KernelHost : IAsyncDisposable
{
    private readonly bool _ownsDataDirectory;

    private KernelHost(WebApplication app, TestDatabase database, string dataDirectory, bool ownsDataDirectory, string adminKey, CapturingLoggerProvider logs)
    {
        _ownsDataDirectory = ownsDataDirectory;
        App = app;
        Database = database;
        DataDirectory = dataDirectory;
        AdminKey = adminKey;
        Logs = logs;
        var endpoints = app.Services.GetRequiredService<KernelEndpoints>();
        GrpcAddress = endpoints.GrpcAddress;
        HttpAddress = endpoints.HttpAddress;
        Channel = GrpcChannel.ForAddress(GrpcAddress);
        Admin = new AdminService.AdminServiceClient(Channel);
        Identity = new IdentityService.IdentityServiceClient(Channel);
        Routing = new RoutingService.RoutingServiceClient(Channel);
        Delivery = new DeliveryService.DeliveryServiceClient(Channel);
        Runtime = new RuntimeService.RuntimeServiceClient(Channel);
    }

    public WebApplication App { get; }
    public TestDatabase Database { get; }
    public string DataDirectory { get; }
    /// <summary>The platform-admin key secret (configured through ClawScale:Bootstrap:AdminApiKey).</summary>
    public string AdminKey { get; }
    public CapturingLoggerProvider Logs { get; }
    public Uri GrpcAddress { get; }
    public Uri HttpAddress { get; }
    public GrpcChannel Channel { get; }
    public AdminService.AdminServiceClient Admin { get; }
    public IdentityService.IdentityServiceClient Identity { get; }
    public RoutingService.RoutingServiceClient Routing { get; }
    public DeliveryService.DeliveryServiceClient Delivery { get; }
    public RuntimeService.RuntimeServiceClient Runtime { get; }

    /// <summary>
    /// A platform API address that refuses connections at once (the discard port on loopback). Tests point channels
    /// they do not exercise here, so no test ever reaches out to a real platform; errors naming it are expected.
    /// </summary>
    public const string UnreachablePlatformUrl = "http://127.0.0.1:9";

    /// <summary>A bot token in the shape BotFather issues, for channels that never reach Telegram.</summary>
    public const string SampleBotToken = "123456789:AAEhBP0av28tPb3N5xAdR8NW-Zw4SZDbAvY";

    /// <summary>Call metadata carrying <paramref name="key"/> as a bearer token.</summary>
    public static Metadata Auth(string key) => new() { { "authorization", "Bearer " + key } };

    public Metadata AdminAuth => Auth(AdminKey);

    /// <summary>Starts a kernel. <paramref name="services"/> may replace services (for example a fake channel registry).</summary>
    public static async Task<KernelHost> StartAsync(
        TestDatabase database,
        IDictionary<string, string?>? settings = null,
        string? dataDirectory = null,
        Action<IServiceCollection>? services = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("clawscale-test-").FullName;
        var adminKey = "csk_test_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var logs = new CapturingLoggerProvider();
        var config = new Dictionary<string, string?>
        {
            ["ClawScale:DataDirectory"] = dataDirectory,
            ["ClawScale:HttpPort"] = "0",
            ["ClawScale:GrpcPort"] = "0",
            ["ClawScale:ListenAddress"] = "127.0.0.1",
            ["ClawScale:Bootstrap:AdminApiKey"] = adminKey,
            ["ClawScale:Database:ConnectionString"] = database.ConnectionString,
            ["ClawScale:PluginsManifest"] = Path.Combine(TestEnvironment.RepoRoot, "plugins.json"),
            ["ClawScale:WatchPlugins"] = "false",
            ["ClawScale:Pipeline:PollInterval"] = "00:00:00.100",
            // Tests point plugins at fakes on 127.0.0.1; tests of the outbound network guard set it back to false.
            ["ClawScale:Security:AllowPrivateNetworkTargets"] = "true",
        };
        if (settings is not null)
        {
            foreach (var (key, value) in settings) config[key] = value;
        }

        var app = KernelApp.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.AddProvider(logs);
        }, services);
        await app.StartAsync();
        return new KernelHost(app, database, dataDirectory, owns, adminKey, logs);
    }

    /// <summary>Creates a tenant and a tenant-admin key for it.</summary>
    public async Task<(Tenant Tenant, string Key)> CreateTenantAsync(string? slug = null)
    {
        slug ??= "t" + Guid.NewGuid().ToString("N")[..12];
        var tenant = (await Admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = "Tenant " + slug }, AdminAuth)).Tenant;
        var key = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "admin", Scope = ApiKeyScope.TenantAdmin }, AdminAuth);
        return (tenant, key.Secret);
    }

    /// <summary>Fails when the host logged an error the test did not expect.</summary>
    public void AssertNoUnexpectedErrors(Func<string, bool>? expected = null)
    {
        var errors = Logs.Errors(m => m.Contains("127.0.0.1:9", StringComparison.Ordinal) || (expected?.Invoke(m) ?? false));
        Assert.True(errors.Count == 0, "The kernel logged errors:\n" + string.Join("\n", errors));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        if (!_ownsDataDirectory) return;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by SQLite's pool is cleaned up with the temp folder.
        }
    }
}
