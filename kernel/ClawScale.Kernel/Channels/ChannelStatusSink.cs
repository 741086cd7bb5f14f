using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Plugins.Channels;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Channels;

/// <summary>Writes an adapter's connection state to <c>channels.status</c> / <c>last_error</c>, where admins see it.</summary>
internal sealed class ChannelStatusSink(IServiceScopeFactory scopes, string channelId, TimeProvider time) : IChannelStatusSink
{
    public ValueTask ReportConnectedAsync(CancellationToken cancellationToken) => SetAsync(ChannelStatusValue.Connected, string.Empty, cancellationToken);

    public ValueTask ReportErrorAsync(string error, CancellationToken cancellationToken) =>
        SetAsync(ChannelStatusValue.Error, error.Length > 2000 ? error[..2000] : error, cancellationToken);

    private async ValueTask SetAsync(ChannelStatusValue status, string error, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        await db.Channels.Where(c => c.Id == channelId && c.Status != ChannelStatusValue.Archived && c.Status != ChannelStatusValue.Disconnected)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status).SetProperty(c => c.LastError, error).SetProperty(c => c.UpdatedAt, now), cancellationToken);
    }
}
