using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>Two kernels on one PostgreSQL database share the DELIVER work without sending anything twice.</summary>
public sealed class DeliveryMultiInstanceTests
{
    [SkippableFact]
    public async Task Two_kernels_on_one_database_deliver_every_delivery_exactly_once_in_route_order()
    {
        Skip.If(TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES"), "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES.");
        const int routes = 40;
        const int perRoute = 5;
        var database = await TestDatabase.PostgresAsync();
        var registry = new FakeChannelRegistry();
        var settings = new Dictionary<string, string?>(DeliveryKernelFixture.Settings) { ["ClawScale:Pipeline:SendConcurrencyPerChannel"] = "16" };
        // Instances sharing a database must share the Data Protection key ring (README: ClawScale:KeysDirectory).
        settings["ClawScale:KeysDirectory"] = Directory.CreateTempSubdirectory("clawscale-keys-").FullName;
        await using var a = await KernelHost.StartAsync(database, settings, services: DeliveryKernelFixture.Services(registry));
        await using var b = await KernelHost.StartAsync(database.Borrow(), settings, services: DeliveryKernelFixture.Services(registry));
        registry.Adapter.Scripts.Clear();

        var (tenant, key) = await a.CreateTenantAsync();
        var channel = (await a.Admin.CreateChannelAsync(
            new Protos.V1.CreateChannelRequest { TenantId = tenant.Id, Kind = "telegram", DisplayName = "bot", Config = { ["api_base_url"] = KernelHost.UnreachablePlatformUrl }, Credentials = { ["bot_token"] = KernelHost.SampleBotToken } }, a.AdminAuth)).Channel;
        registry.Register(channel.Id, tenant.Id);
        var s = new Scenario(a, registry.Adapter, tenant.Id, key, channel.Id);
        var chats = new List<string>();
        var routeIds = new List<string>();
        for (var r = 0; r < routes; r++)
        {
            var (routeId, chat) = await s.RouteAsync();
            routeIds.Add(routeId);
            chats.Add(chat);
            // A little platform latency so that sends overlap across the two kernels.
            registry.Adapter.Scripts[chat] = async (m, ct) =>
            {
                await Task.Delay(Random.Shared.Next(1, 5), ct);
                return SendResult.Delivered("pm-" + m.DeliveryId);
            };
        }

        // Enqueued round-robin through both kernels, so both are woken.
        var expected = new Dictionary<string, List<string>>();
        for (var i = 0; i < perRoute; i++)
        {
            for (var r = 0; r < routes; r++)
            {
                var via = (i + r) % 2 == 0 ? s : s with { Kernel = b };
                var id = await via.EnqueueIdAsync(routeIds[r], $"{r}:{i}");
                (expected.TryGetValue(chats[r], out var list) ? list : expected[chats[r]] = []).Add($"{r}:{i}");
            }
        }

        var total = routes * perRoute;
        await Scenario.Until(
            async () =>
            {
                await using var scope = a.App.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
                return await db.OutboundDeliveries.CountAsync(d => d.TenantId == tenant.Id && d.Status == DeliveryStatusValue.Delivered) == total;
            },
            $"{total} deliveries to be delivered",
            TimeSpan.FromSeconds(45));

        var sends = registry.Adapter.Sends.ToList();
        var duplicates = sends.GroupBy(x => x.Message.DeliveryId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Sent more than once: " + string.Join(", ", duplicates));
        Assert.Equal(total, sends.Count);
        foreach (var chat in chats) Assert.Equal(expected[chat], registry.Adapter.SendsTo(chat).Select(x => x.Message.Text));

        await using (var scope = a.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var workers = await db.OutboundDeliveries.Where(d => d.TenantId == tenant.Id).Select(d => d.ClaimedBy).Distinct().CountAsync();
            Assert.Equal(2, workers); // both kernels did some of the work
        }

        a.AssertNoUnexpectedErrors();
        b.AssertNoUnexpectedErrors();
    }
}
