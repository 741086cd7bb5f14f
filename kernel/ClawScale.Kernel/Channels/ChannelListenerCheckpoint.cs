using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Plugins.Channels;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Channels;

/// <summary>
/// A channel's <see cref="IListenerCheckpoint"/>: one row of <c>channel_listener_checkpoints</c>, upserted with
/// <c>INSERT … ON CONFLICT (channel_id) DO UPDATE</c> (the same statement on SQLite and PostgreSQL). A write for a
/// channel deleted meanwhile fails with the foreign key and is reported to the plugin as an exception.
/// </summary>
internal sealed class ChannelListenerCheckpoint(IServiceScopeFactory scopes, string channelId, TimeProvider time) : IListenerCheckpoint
{
    public async ValueTask<string?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        return await db.ChannelListenerCheckpoints.AsNoTracking().Where(c => c.ChannelId == channelId).Select(c => c.Value).FirstOrDefaultAsync(cancellationToken);
    }

    public async ValueTask WriteAsync(string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is 0 or > ChannelListenerCheckpointEntity.MaxLength)
            throw new ArgumentException($"a listener checkpoint must be 1–{ChannelListenerCheckpointEntity.MaxLength} characters (got {value.Length})", nameof(value));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        // SQLite has one writer: queue behind the pipeline's writers instead of waiting in SQLite's busy handler.
        using var gate = await scope.ServiceProvider.GetRequiredService<SqliteWriteGate>().EnterAsync(db, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO channel_listener_checkpoints (channel_id, value, updated_at) VALUES ({channelId}, {value}, {now}) ON CONFLICT (channel_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""",
            cancellationToken);
    }
}
