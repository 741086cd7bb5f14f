using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Pipeline.Dispatch;
using ClawScale.Kernel.Telemetry;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline.Accept;

/// <summary>
/// The ACCEPT stage's group commit (<see cref="GroupCommitQueue{TItem,TResult}"/> over <see cref="AcceptBatchWriter"/>):
/// webhook calls, listener batches and RouteInbound calls waiting at the same moment are stored in one transaction.
/// At most <see cref="PipelineOptions.AcceptQueueLimit"/> calls wait; further calls get
/// <see cref="PipelineOverloadedException"/> (HTTP 503 with Retry-After, gRPC UNAVAILABLE) so acknowledgement latency
/// stays bounded under overload instead of growing until platforms time out. Two writers on PostgreSQL (one
/// transaction prepares while the other commits); one on SQLite, which has a single writer anyway. The calls waiting
/// are reported as <c>clawscale.accept.queue.depth</c>.
/// </summary>
internal sealed class AcceptQueue : IAsyncDisposable
{
    private readonly GroupCommitQueue<AcceptCall, string?[]> _queue;

    public AcceptQueue(
        IServiceScopeFactory scopes, IOptions<PipelineOptions> options, SqliteWriteGate gate, TurnPool turns, Runtime.RuntimeHub runtimes, IPipelineSignals signals,
        KernelMetrics metrics, TimeProvider time, ILogger<AcceptQueue> logger)
    {
        var o = options.Value;
        var handOff = new TurnHandOff(turns, KernelInstance.Id, o.LeaseDuration, () => runtimes.ServedAgentIds().ToHashSet(StringComparer.Ordinal), signals);
        DatabaseProvider provider;
        using (var scope = scopes.CreateScope()) provider = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>().Provider;
        _queue = new GroupCommitQueue<AcceptCall, string?[]>(
            "accept", o.AcceptQueueLimit, o.AcceptBatchSize, provider == DatabaseProvider.Postgres ? 2 : 1,
            async (calls, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
                using (await gate.EnterAsync(db, ct)) return await AcceptBatchWriter.WriteAsync(db, calls, time, handOff, ct);
            },
            logger);
        metrics.TrackAcceptQueue(() => _queue.Pending);
    }

    /// <summary>Calls waiting to be stored.</summary>
    public int Pending => _queue.Pending;

    /// <summary>Stores <paramref name="call"/>; returns per message the new turn id, or null for a duplicate.</summary>
    /// <exception cref="PipelineOverloadedException">The queue is full; nothing was stored.</exception>
    public Task<string?[]> SubmitAsync(AcceptCall call, CancellationToken cancellationToken) => _queue.SubmitAsync(call, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _queue.DisposeAsync();
}
