using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Messages;
using ClawScale.Protos.V1;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// One kernel per test class with a fake channel registry (scriptable adapter), fast polling, 3 attempts, 200 ms
/// base backoff and no jitter. Tests use their own tenant, channel and chat ids, so they do not see each other's sends.
/// </summary>
public abstract class DeliveryKernelFixture : IAsyncLifetime
{
    private KernelHost? _host;

    internal static readonly Dictionary<string, string?> Settings = new()
    {
        ["ClawScale:Pipeline:PollInterval"] = "00:00:00.050",
        ["ClawScale:Pipeline:LeaseDuration"] = "00:00:30",
        ["ClawScale:Pipeline:DeliveryMaxAttempts"] = "3",
        ["ClawScale:Pipeline:RetryBaseDelay"] = "00:00:00.200",
        ["ClawScale:Pipeline:RetryMaxDelay"] = "00:00:01",
        ["ClawScale:Pipeline:SendRatePerChannel"] = "1000",
    };

    internal FakeChannelRegistry Registry { get; } = new();

    public string? SkipReason { get; private set; }

    public KernelHost Host
    {
        get
        {
            Skip.If(SkipReason is not null, SkipReason);
            return _host!;
        }
    }

    protected abstract Task<TestDatabase?> CreateDatabaseAsync();

    internal static Action<IServiceCollection> Services(FakeChannelRegistry registry) => s =>
    {
        s.Replace(ServiceDescriptor.Singleton<IChannelRegistry>(registry));
        s.Replace(ServiceDescriptor.Singleton<IJitter>(new FixedJitter()));
    };

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        if (database is null)
        {
            SkipReason = "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).";
            return;
        }

        _host = await KernelHost.StartAsync(database, Settings, services: Services(Registry));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>A tenant (with a tenant-admin key), a channel registered with the fake registry unless told otherwise, and a route.</summary>
    internal async Task<Scenario> ScenarioAsync(bool registerChannel = true, IDictionary<string, string>? channelConfig = null)
    {
        var k = Host;
        var (tenant, key) = await k.CreateTenantAsync();
        var request = new CreateChannelRequest { TenantId = tenant.Id, Kind = "telegram", DisplayName = "bot", Config = { ["api_base_url"] = KernelHost.UnreachablePlatformUrl }, Credentials = { ["bot_token"] = KernelHost.SampleBotToken } };
        if (channelConfig is not null) request.Config.Add(channelConfig);
        var channel = (await k.Admin.CreateChannelAsync(request, k.AdminAuth)).Channel;
        if (registerChannel) Registry.Register(channel.Id, tenant.Id);
        return new Scenario(k, Registry.Adapter, tenant.Id, key, channel.Id);
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteDeliveryKernelFixture : DeliveryKernelFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => Task.FromResult<TestDatabase?>(TestDatabase.Sqlite());
}

/// <summary>On PostgreSQL (skipped when none is configured, failing in CI).</summary>
public sealed class PostgresDeliveryKernelFixture : DeliveryKernelFixture
{
    protected override async Task<TestDatabase?> CreateDatabaseAsync() =>
        TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES") ? null : await TestDatabase.PostgresAsync();
}
