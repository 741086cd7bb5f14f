using System.Net;
using System.Text;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// One test's world for a listener channel (Signal, Matrix): a tenant with an echo agent bound by default and one
/// channel of <c>kind</c> pointing at a fake platform on 127.0.0.1; helpers that wait on the database with a bound.
/// </summary>
internal sealed class ListenerChannelWorld
{
    private static readonly HttpClient Http = new();
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private ListenerChannelWorld(KernelHost kernel, string tenantId, string channelId)
    {
        Kernel = kernel;
        TenantId = tenantId;
        ChannelId = channelId;
    }

    public KernelHost Kernel { get; set; }
    public string TenantId { get; }
    public string ChannelId { get; }

    public static async Task<ListenerChannelWorld> StartAsync(KernelHost kernel, string kind, IDictionary<string, string> config, IDictionary<string, string> credentials, int echoDelayMs = 0)
    {
        var (tenant, _) = await kernel.CreateTenantAsync();
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenant.Id, Name = "echo", Kind = "echo", Config = { ["delay_ms"] = echoDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) } }, kernel.AdminAuth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = tenant.Id, AgentId = agent.Id }, kernel.AdminAuth);
        var request = new CreateChannelRequest { TenantId = tenant.Id, Kind = kind, DisplayName = kind + " bot" };
        request.Config.Add(config);
        request.Credentials.Add(credentials);
        var channel = (await kernel.Admin.CreateChannelAsync(request, kernel.AdminAuth)).Channel;
        return new ListenerChannelWorld(kernel, tenant.Id, channel.Id);
    }

    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    public Task<int> DeliveredCountAsync() =>
        QueryAsync(db => db.OutboundDeliveries.CountAsync(d => d.TenantId == TenantId && d.Status == DeliveryStatusValue.Delivered));

    public async Task WaitForDeliveredAsync(int count) => await Until(async () => await DeliveredCountAsync() >= count, $"{count} delivered replies");

    /// <summary>Waits until every turn and delivery of the tenant is finished.</summary>
    public Task WaitIdleAsync() => Until(async () =>
        await QueryAsync(db => db.Turns.CountAsync(x => x.TenantId == TenantId && x.Status != TurnStatusValue.Completed && x.Status != TurnStatusValue.Failed)) == 0
        && await QueryAsync(db => db.OutboundDeliveries.CountAsync(d => d.TenantId == TenantId && d.Status != DeliveryStatusValue.Delivered && d.Status != DeliveryStatusValue.Dead)) == 0,
        "the tenant's pipeline to be idle");

    /// <summary>The tenant's single delivery once it has <paramref name="status"/> (AdminService.ListDeliveries).</summary>
    public async Task<Protos.V1.Delivery> WaitForDeliveryAsync(DeliveryStatus status)
    {
        Protos.V1.Delivery? found = null;
        await Until(async () =>
        {
            var page = await Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = TenantId, Status = status }, Kernel.AdminAuth);
            found = page.Deliveries.SingleOrDefault();
            return found is not null;
        }, $"a {status} delivery");
        return found!;
    }

    public async Task<T> QueryAsync<T>(Func<ClawScaleDbContext, Task<T>> query)
    {
        await using var scope = Kernel.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>());
    }

    /// <summary>POSTs a body to the channel's webhook route, as anyone on the internet could.</summary>
    public async Task<HttpStatusCode> PostWebhookAsync(string body)
    {
        using var response = await Http.PostAsync(new Uri(Kernel.HttpAddress, "/webhooks/" + ChannelId), new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>
    /// Errors the tests provoke on purpose: dead letters (the kernel logs each as an error), which other tests on the
    /// same kernel then see too.
    /// </summary>
    public static bool ExpectedError(string message) => message.Contains("dead letter", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails when the kernel logged an error other than the provoked dead letters.</summary>
    public void AssertNoUnexpectedErrors() => Kernel.AssertNoUnexpectedErrors(ExpectedError);

    public async Task AssertNothingStoredAsync()
    {
        Assert.Equal(0, await QueryAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == ChannelId)));
        Assert.Equal(0, await QueryAsync(db => db.Turns.CountAsync(x => x.TenantId == TenantId)));
        Assert.Equal(0, await QueryAsync(db => db.Messages.CountAsync(x => x.TenantId == TenantId)));
    }

    /// <summary>Archives the channel so its listener stops (no-op when the kernel is gone).</summary>
    public async Task StopAsync()
    {
        try
        {
            await Kernel.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = ChannelId, Status = ChannelStatus.Archived }, Kernel.AdminAuth);
        }
        catch (Exception ex) when (ex is global::Grpc.Core.RpcException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>One kernel per test class for listener channels: fast polling and short delivery backoff.</summary>
public abstract class ListenerKernelFixture : IAsyncLifetime
{
    private KernelHost? _host;

    internal static readonly Dictionary<string, string?> Settings = new()
    {
        ["ClawScale:Pipeline:PollInterval"] = "00:00:00.050",
        ["ClawScale:Pipeline:DeliveryMaxAttempts"] = "5",
        ["ClawScale:Pipeline:RetryBaseDelay"] = "00:00:00.200",
        ["ClawScale:Pipeline:RetryMaxDelay"] = "00:00:01",
    };

    public string? SkipReason { get; private set; }

    public KernelHost Host
    {
        get
        {
            Skip.If(SkipReason is not null, SkipReason);
            return _host!;
        }
    }

    public abstract Task<TestDatabase?> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        if (database is null)
        {
            SkipReason = "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).";
            return;
        }

        _host = await KernelHost.StartAsync(database, Settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

public sealed class SqliteListenerKernelFixture : ListenerKernelFixture
{
    public override Task<TestDatabase?> CreateDatabaseAsync() => Task.FromResult<TestDatabase?>(TestDatabase.Sqlite());
}

public sealed class PostgresListenerKernelFixture : ListenerKernelFixture
{
    public override async Task<TestDatabase?> CreateDatabaseAsync() =>
        TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES") ? null : await TestDatabase.PostgresAsync();
}
