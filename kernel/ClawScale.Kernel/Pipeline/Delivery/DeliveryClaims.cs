using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline.Delivery;

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
    /// <summary>Due deliveries read per page.</summary>
    internal const int PageSize = 256;

    /// <summary>Pages read per claim at most.</summary>
    internal const int MaxPages = 16;

    /// <summary>The unfinished statuses (pending, sending, failed), as in the partial indexes (<c>status IN (1, 2, 4)</c>).</summary>
    internal static readonly string Unfinished = $"{(int)DeliveryStatusValue.Pending}, {(int)DeliveryStatusValue.Sending}, {(int)DeliveryStatusValue.Failed}";

    /// <summary>Claims up to <paramref name="limit"/> due deliveries for <paramref name="workerId"/> until <paramref name="leaseUntil"/>.</summary>
    /// <returns>The claimed rows, with <see cref="OutboundDeliveryEntity.Attempts"/> already counting this attempt.</returns>
    /// <remarks>
    /// Short statements whose plans do not depend on statistics: the due deliveries in <c>(next_attempt_at, id)</c>
    /// order from the partial index <c>ix_outbound_deliveries_unfinished_next_attempt_at_id</c> (keyset
    /// pages of <see cref="PageSize"/>); the head (oldest unfinished) of each of their routes, one probe of
    /// <c>ix_outbound_deliveries_unfinished_delivery_route_id_created_at</c> per route; and the claim of the due heads
    /// by <c>UPDATE … WHERE id IN (SELECT … FROM v JOIN outbound_deliveries …</c> (still due) <c>ORDER BY v.ord LIMIT …
    /// FOR UPDATE SKIP LOCKED) RETURNING *</c>. A delivery another instance claimed in between is no longer due; one it
    /// is claiming right now is locked and skipped. The earlier single statement checked <c>NOT EXISTS</c> (an older
    /// unfinished delivery of the route) for every candidate: about 4 ms per claim under backlog.
    /// </remarks>
    public static async Task<List<OutboundDeliveryEntity>> ClaimAsync(
        ClawScaleDbContext db, string workerId, DateTime now, DateTime leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        var heads = new Dictionary<string, string?>(StringComparer.Ordinal);
        (DateTime At, string Id)? after = null;
        // Keyset pages, so deliveries queued behind a route's head that waits for its retry do not hide other routes.
        for (var pageNumber = 0; pageNumber < MaxPages && candidates.Count < limit * 2; pageNumber++)
        {
            var query = new SqlText()
                .Raw($"SELECT id, delivery_route_id, status, claimed_until, next_attempt_at FROM outbound_deliveries WHERE status IN ({Unfinished}) AND next_attempt_at <= ").P(now);
            if (after is { } a) query.Raw(" AND (next_attempt_at > ").P(a.At).Raw(" OR (next_attempt_at = ").P(a.At).Raw(" AND id > ").P(a.Id).Raw("))");
            var page = await query.Raw(" ORDER BY next_attempt_at, id LIMIT ").P(PageSize)
                .QueryAsync(db, r => (Id: r.GetString(0), Route: r.GetString(1), Status: (DeliveryStatusValue)r.GetInt32(2),
                    ClaimedUntil: r.IsDBNull(3) ? (DateTime?)null : DateTime.SpecifyKind(r.GetDateTime(3), DateTimeKind.Utc),
                    NextAttemptAt: DateTime.SpecifyKind(r.GetDateTime(4), DateTimeKind.Utc)), cancellationToken);
            var due = page.Where(d => d.Status != DeliveryStatusValue.Sending || d.ClaimedUntil < now).ToList();
            var newRoutes = due.Select(d => d.Route).Where(r => !heads.ContainsKey(r)).Distinct(StringComparer.Ordinal).ToList();
            if (newRoutes.Count > 0)
            {
                var found = await new SqlText().Raw("WITH v(route) AS (VALUES ").Rows(newRoutes, r => [r])
                    .Raw($") SELECT v.route, (SELECT o.id FROM outbound_deliveries o WHERE o.delivery_route_id = v.route AND o.status IN ({Unfinished}) ORDER BY o.created_at, o.id LIMIT 1) FROM v")
                    .QueryAsync(db, r => (Route: r.GetString(0), Head: r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken);
                foreach (var (route, head) in found) heads[route] = head;
            }

            candidates.AddRange(due.Where(d => heads.GetValueOrDefault(d.Route) == d.Id).Select(d => d.Id));
            if (page.Count < PageSize) break;
            after = (page[^1].NextAttemptAt, page[^1].Id);
        }

        if (candidates.Count > limit * 2) candidates.RemoveRange(limit * 2, candidates.Count - limit * 2);
        if (candidates.Count == 0) return [];

        var sql = new System.Text.StringBuilder("WITH v(id, ord) AS (VALUES ");
        var args = new List<object> { workerId, now, leaseUntil, limit };
        for (var i = 0; i < candidates.Count; i++)
        {
            sql.Append(i == 0 ? "(" : ", (").Append('{').Append(args.Count).Append("}, ").Append(i).Append(')');
            args.Add(candidates[i]);
        }

        sql.Append($") UPDATE outbound_deliveries SET status = {(int)DeliveryStatusValue.Sending}, claimed_by = {{0}}, claimed_until = {{2}}, attempts = attempts + 1, updated_at = {{1}}")
            .Append(" WHERE id IN (SELECT o.id FROM v JOIN outbound_deliveries o ON o.id = v.id")
            .Append($" WHERE ((o.status IN ({(int)DeliveryStatusValue.Pending}, {(int)DeliveryStatusValue.Failed}) AND o.next_attempt_at <= {{1}})")
            .Append($" OR (o.status = {(int)DeliveryStatusValue.Sending} AND o.claimed_until < {{1}}))")
            .Append(" ORDER BY v.ord LIMIT {3}")
            .Append(db.Provider == DatabaseProvider.Postgres ? " FOR UPDATE OF o SKIP LOCKED" : string.Empty)
            .Append(") RETURNING *");
        return await db.OutboundDeliveries
            .FromSqlRaw(sql.ToString(), args.ToArray())
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

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
