using ClawScale.Kernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// The transaction of a stage that hands work to the next one (<see cref="WorkPool{THandOff}"/>): the write reserves
/// slots in the next stage's pool while it decides which rows to store already claimed, and only after the commit are
/// those rows handed off; slots reserved and not used, or reserved by an attempt that failed (the execution strategy
/// runs the write again), are given back.
/// </summary>
internal static class HandOffTransaction
{
    /// <summary>
    /// Runs <paramref name="write"/> in one transaction on <paramref name="db"/> (retried by its execution strategy) and
    /// hands what it returns to <paramref name="pool"/> after the commit.
    /// </summary>
    /// <param name="db">The context; its change tracker is cleared before every attempt.</param>
    /// <param name="pool">The next stage's pool, or null to hand off nothing (the write's reservations are then 0).</param>
    /// <param name="write">Writes in the open transaction; gets a function reserving up to n slots (returns how many it
    /// got) and returns its result and the items to hand off, one reserved slot each.</param>
    /// <param name="ct">Cancels the write.</param>
    public static async Task<TResult> RunAsync<THandOff, TResult>(
        ClawScaleDbContext db,
        WorkPool<THandOff>? pool,
        Func<Func<int, int>, CancellationToken, Task<(TResult Result, IReadOnlyList<THandOff> Handed)>> write,
        CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var (result, handed) = await strategy.ExecuteAsync(async c =>
        {
            var reserved = 0;
            int Reserve(int wanted)
            {
                var granted = pool?.TryReserve(wanted) ?? 0;
                reserved += granted;
                return granted;
            }

            try
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(c);
                var written = await write(Reserve, c);
                await transaction.CommitAsync(c);
                pool?.Return(reserved - written.Handed.Count);
                reserved = 0;
                return written;
            }
            finally
            {
                pool?.Return(reserved);
            }
        }, ct);
        if (pool is not null) pool.HandOff(handed);
        return result;
    }
}
