using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Pipeline;

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
