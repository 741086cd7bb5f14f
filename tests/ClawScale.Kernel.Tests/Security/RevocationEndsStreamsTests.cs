using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Runtime;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Security;

/// <summary>
/// Revoking an API key, or deleting its tenant, ends the key's open streams (RuntimeService.Connect,
/// DeliveryService.WatchDeliveries) with UNAUTHENTICATED: at once on the instance that revoked it, and within
/// <c>Security:ApiKeyCacheTtl</c> when another instance revoked it (here: a direct database update).
/// </summary>
public sealed class RevocationEndsStreamsTests
{
    /// <summary>Well under the default 30 s TTL: an end within it is the immediate path, not the periodic one.</summary>
    private static readonly TimeSpan ImmediateBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Revoking_a_runtime_key_ends_its_Connect_stream_with_UNAUTHENTICATED()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var w = await RuntimeWorld.CreateAsync(kernel);
        await using var runtime = await TestRuntime.ConnectAsync(kernel, w.RuntimeKey, new RuntimeHello { RuntimeName = "revoked" });

        await kernel.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { ApiKeyId = w.RuntimeKeyId }, kernel.AdminAuth);

        var status = await runtime.WaitForEndAsync(ImmediateBound);
        Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
        Assert.Contains("revoked", status.Detail, StringComparison.OrdinalIgnoreCase);
        await Eventually.TrueAsync(() => kernel.App.Services.GetRequiredService<Kernel.Runtime.RuntimeHub>().Count == 0, "the revoked session to be removed");
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Deleting_the_tenant_ends_its_runtime_stream_with_UNAUTHENTICATED()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var w = await RuntimeWorld.CreateAsync(kernel);
        await using var runtime = await TestRuntime.ConnectAsync(kernel, w.RuntimeKey, new RuntimeHello());

        await kernel.Admin.DeleteTenantAsync(new DeleteTenantRequest { TenantId = w.TenantId }, kernel.AdminAuth);

        var status = await runtime.WaitForEndAsync(ImmediateBound);
        Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_key_revoked_by_another_instance_ends_the_stream_here_within_the_cache_TTL()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?> { ["ClawScale:Security:ApiKeyCacheTtl"] = "00:00:01" });
        var w = await RuntimeWorld.CreateAsync(kernel);
        await using var runtime = await TestRuntime.ConnectAsync(kernel, w.RuntimeKey, new RuntimeHello());
        using var watch = kernel.Delivery.WatchDeliveries(new WatchDeliveriesRequest(), KernelHost.Auth(w.RuntimeKey));
        var watchEnded = EndOf(watch);

        // Another instance revokes: only the shared database changes, this instance's cache is not told.
        await using (var scope = kernel.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            await db.ApiKeys.Where(k => k.Id == w.RuntimeKeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTime.UtcNow));
        }

        // TTL 1 s: a bound of 15 s is generous for a loaded machine and far below "never".
        var status = await runtime.WaitForEndAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
        var watchStatus = await watchEnded.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(StatusCode.Unauthenticated, watchStatus.StatusCode);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Revoking_a_key_ends_its_WatchDeliveries_stream_with_UNAUTHENTICATED()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (tenant, _) = await kernel.CreateTenantAsync();
        var created = await kernel.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "watcher", Scope = ApiKeyScope.TenantAdmin }, kernel.AdminAuth);
        var deliveryId = await CreateDeliveryAsync(kernel, tenant.Id, created.Secret);
        using var watch = kernel.Delivery.WatchDeliveries(new WatchDeliveriesRequest { DeliveryIds = { deliveryId } }, KernelHost.Auth(created.Secret));
        // The watch is open (authenticated, its first state sent) before the key is revoked.
        using (var first = new CancellationTokenSource(ImmediateBound)) Assert.True(await watch.ResponseStream.MoveNext(first.Token));
        var ended = EndOf(watch);

        await kernel.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { ApiKeyId = created.ApiKey.Id }, kernel.AdminAuth);

        var status = await ended.WaitAsync(ImmediateBound);
        Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
        Assert.Contains("revoked", status.Detail, StringComparison.OrdinalIgnoreCase);
        kernel.AssertNoUnexpectedErrors();
    }

    /// <summary>A pending delivery of the tenant, on a Telegram channel that never reaches a platform.</summary>
    private static async Task<string> CreateDeliveryAsync(KernelHost kernel, string tenantId, string key)
    {
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            TenantId = tenantId, Kind = "telegram", DisplayName = "bot",
            Config = { ["api_base_url"] = KernelHost.UnreachablePlatformUrl }, Credentials = { ["bot_token"] = KernelHost.SampleBotToken },
        }, kernel.AdminAuth)).Channel;
        await using var scope = kernel.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var routeId = Guid.CreateVersion7().ToString();
        db.DeliveryRoutes.Add(new DeliveryRouteEntity { Id = routeId, TenantId = tenantId, ChannelId = channel.Id, ExternalChatId = "42", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var delivered = await kernel.Delivery.DeliverAsync(new DeliverRequest { DeliveryRouteId = routeId, IdempotencyKey = "watch", Text = "hi" }, KernelHost.Auth(key));
        return delivered.Delivery.Id;
    }

    private static async Task<Status> EndOf(AsyncServerStreamingCall<WatchDeliveriesResponse> call)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }

            return Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }

    private sealed record RuntimeWorld(string TenantId, string RuntimeKey, string RuntimeKeyId)
    {
        public static async Task<RuntimeWorld> CreateAsync(KernelHost kernel)
        {
            var (tenant, _) = await kernel.CreateTenantAsync();
            var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenant.Id, Name = "runtime", Kind = "external" }, kernel.AdminAuth)).Agent;
            var key = await kernel.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "rt", Scope = ApiKeyScope.Runtime, AgentIds = { agent.Id } }, kernel.AdminAuth);
            return new RuntimeWorld(tenant.Id, key.Secret, key.ApiKey.Id);
        }
    }
}
