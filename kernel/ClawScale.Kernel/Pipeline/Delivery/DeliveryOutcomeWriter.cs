using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>The recorded result of one send attempt of a claimed delivery.</summary>
/// <param name="Row">The claimed delivery (its <c>Attempts</c> counts this attempt).</param>
/// <param name="Status">Delivered, Failed (retried at <paramref name="NextAttemptAt"/>) or Dead.</param>
/// <param name="ProviderMessageId">The platform's message id when delivered, else empty.</param>
/// <param name="Error">Why it failed, else empty.</param>
/// <param name="NextAttemptAt">When a failed delivery is due again (UTC).</param>
/// <param name="At">When the outcome was known (UTC); stored as <c>updated_at</c> of failures.</param>
internal sealed record DeliveryOutcome(OutboundDeliveryEntity Row, DeliveryStatusValue Status, string ProviderMessageId, string Error, DateTime NextAttemptAt, DateTime At);

/// <summary>
/// Records send outcomes in one transaction per batch (through <see cref="GroupCommitQueue{TItem,TResult}"/>): all
/// deliveries that went out are marked delivered by one <c>UPDATE … RETURNING id</c>; failures (rarer) are updated one
/// by one. Every update is guarded by the claim (<see cref="DeliveryClaims"/>: status sending, this worker, the
/// claimed attempt), so a worker that lost its lease cannot overwrite the new owner's result.
/// </summary>
internal static class DeliveryOutcomeWriter
{
    /// <summary>Records <paramref name="outcomes"/> of <paramref name="workerId"/>; per item, false when the claim was lost.</summary>
    public static async Task<IReadOnlyList<bool>> WriteAsync(ClawScaleDbContext db, IReadOnlyList<DeliveryOutcome> outcomes, string workerId, DateTime now, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async c =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(c);
            var recorded = new HashSet<string>(StringComparer.Ordinal);
            var delivered = outcomes.Where(o => o.Status == DeliveryStatusValue.Delivered).ToList();
            if (delivered.Count > 0)
            {
                var sql = new SqlText().Raw("UPDATE outbound_deliveries SET status = ").P((int)DeliveryStatusValue.Delivered)
                    .Raw(", provider_message_id = CASE id");
                foreach (var o in delivered) sql.Raw(" WHEN ").P(o.Row.Id).Raw(" THEN ").P(o.ProviderMessageId);
                sql.Raw(" END, delivered_at = ").P(now).Raw(", claimed_until = NULL, updated_at = ").P(now)
                    .Raw(" WHERE status = ").P((int)DeliveryStatusValue.Sending).Raw(" AND claimed_by = ").P(workerId).Raw(" AND (");
                var first = true;
                foreach (var o in delivered)
                {
                    sql.Raw(first ? "(id = " : " OR (id = ").P(o.Row.Id).Raw(" AND attempts = ").P(o.Row.Attempts).Raw(")");
                    first = false;
                }

                sql.Raw(") RETURNING id");
                recorded.UnionWith(await sql.QueryStringsAsync(db, c));
            }

            foreach (var o in outcomes.Where(o => o.Status != DeliveryStatusValue.Delivered))
            {
                if (await DeliveryClaims.FailedAsync(db, o.Row, workerId, o.Status, o.Error, o.NextAttemptAt, o.At, c)) recorded.Add(o.Row.Id);
            }

            await transaction.CommitAsync(c);
            return (IReadOnlyList<bool>)outcomes.Select(o => recorded.Contains(o.Row.Id)).ToList();
        }, ct);
    }
}
