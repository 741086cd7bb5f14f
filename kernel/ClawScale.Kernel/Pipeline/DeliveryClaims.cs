using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// The DELIVER stage's set-based SQL: claiming due deliveries with a lease, and recording outcomes guarded by the claim.
/// </summary>
/// <remarks>
/// A delivery is due when it is pending or failed with <c>next_attempt_at</c> reached, or sending with an expired lease
/// (its worker crashed or stalled). Only the oldest unfinished delivery of a route (pending, sending or failed, by
/// <c>created_at</c> then <c>id</c>) is eligible, so deliveries of one route go out in order; delivered and dead ones
/// do not block. On PostgreSQL the candidates are locked with <c>FOR UPDATE SKIP LOCKED</c>, so several kernel
/// instances never claim the same row; SQLite has a single writer, so one <c>UPDATE … RETURNING</c> is atomic.
/// Every outcome update requires <c>status = sending</c>, <c>claimed_by</c> = this worker and the claimed attempt
/// number, so a worker that lost its lease cannot overwrite the new owner's result.
/// </remarks>
internal static class DeliveryClaims
{
    /// <summary>The unfinished statuses (pending, sending, failed), as in the partial indexes (<c>status IN (1, 2, 4)</c>).</summary>
    internal static readonly string Unfinished = $"{(int)DeliveryStatusValue.Pending}, {(int)DeliveryStatusValue.Sending}, {(int)DeliveryStatusValue.Failed}";

    private const string Candidates = """
        SELECT o.id FROM outbound_deliveries o
        WHERE o.status IN (1, 2, 4)
          AND ((o.status IN (1, 4) AND o.next_attempt_at <= {1}) OR (o.status = 2 AND o.claimed_until < {1}))
          AND NOT EXISTS (
            SELECT 1 FROM outbound_deliveries p
            WHERE p.delivery_route_id = o.delivery_route_id
              AND p.status IN (1, 2, 4)
              AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id)))
        ORDER BY o.next_attempt_at, o.id
        LIMIT {3}
        """;

    private const string Update = """
        UPDATE outbound_deliveries
        SET status = 2, claimed_by = {0}, claimed_until = {2}, attempts = attempts + 1, updated_at = {1}
        WHERE id IN (
        """;

    /// <summary>Claims up to <paramref name="limit"/> due deliveries for <paramref name="workerId"/> until <paramref name="leaseUntil"/>.</summary>
    /// <returns>The claimed rows, with <see cref="OutboundDeliveryEntity.Attempts"/> already counting this attempt.</returns>
    public static async Task<List<OutboundDeliveryEntity>> ClaimAsync(
        ClawScaleDbContext db, string workerId, DateTime now, DateTime leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var lockClause = db.Provider == DatabaseProvider.Postgres ? "\nFOR UPDATE OF o SKIP LOCKED" : string.Empty;
        var sql = Update + Candidates + lockClause + "\n)\nRETURNING *";
        return await db.OutboundDeliveries
            .FromSqlRaw(sql, workerId, now, leaseUntil, limit)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    /// <summary>Marks a claimed delivery delivered. Returns false when the claim was lost.</summary>
    public static async Task<bool> DeliveredAsync(
        ClawScaleDbContext db, OutboundDeliveryEntity claimed, string workerId, string? providerMessageId, DateTime now, CancellationToken cancellationToken) =>
        await Claimed(db, claimed, workerId).ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Status, DeliveryStatusValue.Delivered)
                .SetProperty(d => d.ProviderMessageId, providerMessageId ?? string.Empty)
                .SetProperty(d => d.DeliveredAt, now)
                .SetProperty(d => d.ClaimedUntil, (DateTime?)null)
                .SetProperty(d => d.UpdatedAt, now),
            cancellationToken) == 1;

    /// <summary>Marks a claimed delivery failed (to retry at <paramref name="nextAttemptAt"/>) or dead. Returns false when the claim was lost.</summary>
    public static async Task<bool> FailedAsync(
        ClawScaleDbContext db, OutboundDeliveryEntity claimed, string workerId, DeliveryStatusValue status, string error, DateTime nextAttemptAt, DateTime now, CancellationToken cancellationToken) =>
        await Claimed(db, claimed, workerId).ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Status, status)
                .SetProperty(d => d.LastError, error)
                .SetProperty(d => d.NextAttemptAt, nextAttemptAt)
                .SetProperty(d => d.ClaimedUntil, (DateTime?)null)
                .SetProperty(d => d.UpdatedAt, now),
            cancellationToken) == 1;

    private static IQueryable<OutboundDeliveryEntity> Claimed(ClawScaleDbContext db, OutboundDeliveryEntity claimed, string workerId)
    {
        var id = claimed.Id;
        var attempts = claimed.Attempts;
        return db.OutboundDeliveries.Where(d => d.Id == id && d.ClaimedBy == workerId && d.Attempts == attempts && d.Status == DeliveryStatusValue.Sending);
    }
}
