using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
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
        var request = new CreateChannelRequest { TenantId = tenant.Id, Kind = "telegram", DisplayName = "bot", Credentials = { ["bot_token"] = "1:x" } };
        if (channelConfig is not null) request.Config.Add(channelConfig);
        var channel = (await k.Admin.CreateChannelAsync(request, k.AdminAuth)).Channel;
        if (registerChannel) Registry.Register(channel.Id, tenant.Id);
        return new Scenario(k, Registry.Adapter, tenant.Id, key, channel.Id);
    }
}

/// <summary>A tenant and channel in a delivery test, with helpers.</summary>
internal sealed record Scenario(KernelHost Kernel, FakeChannelAdapter Adapter, string TenantId, string TenantKey, string ChannelId)
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>A new route on the channel with a unique chat id.</summary>
    public async Task<(string RouteId, string ChatId)> RouteAsync(string thread = "")
    {
        var chatId = "chat-" + Guid.NewGuid().ToString("N")[..12];
        var id = Guid.CreateVersion7().ToString();
        await using var scope = Kernel.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        db.DeliveryRoutes.Add(new DeliveryRouteEntity { Id = id, TenantId = TenantId, ChannelId = ChannelId, ExternalChatId = chatId, ExternalThreadId = thread, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return (id, chatId);
    }

    public async Task<DeliveryEnqueueResult> EnqueueAsync(
        string routeId, string text, string? key = null, IReadOnlyList<MessageAttachment>? attachments = null,
        string? replyTo = null, IReadOnlyDictionary<string, string>? properties = null, string? tenantId = null)
    {
        await using var scope = Kernel.App.Services.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<DeliveryWriter>();
        return await writer.EnqueueAsync(tenantId ?? TenantId, routeId, null, null, key ?? Guid.NewGuid().ToString("N"), text, attachments, replyTo, properties, CancellationToken.None);
    }

    public async Task<string> EnqueueIdAsync(string routeId, string text)
    {
        var result = await EnqueueAsync(routeId, text);
        Assert.Equal(DeliveryEnqueueStatus.Created, result.Status);
        return result.Delivery!.Id;
    }

    public async Task<OutboundDeliveryEntity> GetAsync(string deliveryId)
    {
        await using var scope = Kernel.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        return await db.OutboundDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId);
    }

    /// <summary>Waits (bounded, polling every 20 ms) until the delivery has <paramref name="status"/>.</summary>
    public async Task<OutboundDeliveryEntity> WaitForAsync(string deliveryId, DeliveryStatusValue status)
    {
        OutboundDeliveryEntity row = null!;
        await Until(async () => (row = await GetAsync(deliveryId)).Status == status, $"delivery {deliveryId} to become {status}");
        return row;
    }

    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? Bound);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    public void AssertNoUnexpectedErrors() => Kernel.AssertNoUnexpectedErrors(m => m.Contains("dead letter", StringComparison.Ordinal));
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
