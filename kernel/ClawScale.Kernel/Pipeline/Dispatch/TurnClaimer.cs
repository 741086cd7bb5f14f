using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;

namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>
/// Claims due turns with a lease. A turn is due when pending and its time has come, or running / awaiting a runtime with
/// an expired lease (its kernel died). Only the oldest unfinished turn of a conversation is eligible, which keeps turns
/// in order per conversation while conversations run in parallel.
/// </summary>
/// <remarks>
/// Two statements, neither of which depends on the planner's statistics: the unfinished turns are read in
/// <c>(created_at, id)</c> order from the partial index <c>ix_turns_unfinished_created_at_id</c> a page at a time
/// (keyset pagination), the first turn seen of each conversation is its head, and up to the limit of the due heads
/// (twice the limit are offered) are claimed by one <c>WITH v(id, ord) AS (VALUES …) UPDATE … WHERE id IN (SELECT … FROM v
/// JOIN turns … WHERE</c> (still due) <c>ORDER BY v.ord LIMIT … FOR UPDATE SKIP LOCKED) RETURNING id</c>. The re-check makes the claim safe
/// between instances: a turn another instance claimed in between is no longer due, one it is claiming right now is
/// locked and skipped (PostgreSQL); SQLite has a single writer. The earlier
/// single statement (<c>NOT EXISTS</c> per candidate, <c>FOR UPDATE SKIP LOCKED</c>) was planned as a bitmap scan of
/// every unfinished turn plus a sort whenever the table had no statistics yet: about 30 ms per claim with a few thousand
/// turns waiting (tests/ClawScale.Bench/results/2026-12-05-throughput.md).
/// </remarks>
internal static class TurnClaimer
{
    /// <summary>The unfinished statuses, as in the partial indexes (<c>status IN (1, 2, 3)</c>).</summary>
    internal static readonly string Unfinished = $"{(int)TurnStatusValue.Pending}, {(int)TurnStatusValue.Running}, {(int)TurnStatusValue.AwaitingRuntime}";

    /// <summary>Unfinished turns read per page.</summary>
    internal const int PageSize = 256;

    /// <summary>Pages read per claim at most (a conversation with more queued turns than this delays those behind it to a later claim).</summary>
    internal const int MaxPages = 32;

    /// <summary>
    /// Claims up to <paramref name="limit"/> due turns for <paramref name="instance"/>. Turns of connected-runtime agents
    /// (kind <c>external</c>) are claimed only for <paramref name="servedRuntimeAgents"/>: the agents with a runtime
    /// session connected to this instance. A turn awaiting a runtime whose lease expired is due again. Dial-out agents
    /// (kind <c>grpc-runtime</c>) are run by any instance, like plugin agents.
    /// </summary>
    /// <returns>The claimed ids, and whether more turns are waiting (due heads beyond the limit, or turns queued behind a
    /// running turn of their conversation): the caller claims again when slots free up.</returns>
    public static async Task<(List<string> Claimed, bool MoreWaiting)> ClaimAsync(
        ClawScaleDbContext db, string instance, DateTime now, DateTime leaseUntil, int limit, IReadOnlyList<string> servedRuntimeAgents, CancellationToken ct)
    {
        var heads = new HashSet<string>(StringComparer.Ordinal);
        var due = new List<string>();
        var moreWaiting = false;
        (DateTime At, string Id)? after = null;
        // Twice the limit as candidates: a concurrent claimer on another instance that reads the same heads and locks some
        // of them first leaves this one the rest.
        var wanted = limit * 2;
        for (var page = 0; page < MaxPages && due.Count < wanted; page++)
        {
            // Status values as literals: the partial index's predicate must be provable from the query text.
            var sql = new SqlText().Raw($"SELECT id, conversation_id, status, next_attempt_at, claimed_until, created_at FROM turns WHERE status IN ({Unfinished})");
            if (after is { } a) sql.Raw(" AND (created_at > ").P(a.At).Raw(" OR (created_at = ").P(a.At).Raw(" AND id > ").P(a.Id).Raw("))");
            sql.Raw(" ORDER BY created_at, id LIMIT ").P(PageSize);
            var rows = await sql.QueryAsync(db, r => new UnfinishedRow(
                r.GetString(0), r.GetString(1), (TurnStatusValue)r.GetInt32(2), Utc(r.GetDateTime(3)), r.IsDBNull(4) ? null : Utc(r.GetDateTime(4)), Utc(r.GetDateTime(5))), ct);
            foreach (var row in rows)
            {
                if (!heads.Add(row.ConversationId))
                {
                    // Queued behind its conversation's head: claimable once the head ends.
                    if (row.Status == TurnStatusValue.Pending) moreWaiting = true;
                    continue;
                }

                var isDue = row.Status == TurnStatusValue.Pending ? row.NextAttemptAt <= now : row.ClaimedUntil < now;
                if (!isDue) continue;
                if (due.Count == wanted)
                {
                    moreWaiting = true;
                    break;
                }

                due.Add(row.Id);
            }

            if (rows.Count < PageSize) break;
            if (page == MaxPages - 1) moreWaiting = true;
            after = (rows[^1].CreatedAt, rows[^1].Id);
        }

        if (due.Count == 0) return ([], moreWaiting);
        var claimed = await UpdateAsync(db, due, limit, instance, now, leaseUntil, servedRuntimeAgents, ct);
        return (claimed, moreWaiting || (claimed.Count == limit && due.Count > limit));
    }

    private static async Task<List<string>> UpdateAsync(
        ClawScaleDbContext db, List<string> candidates, int limit, string instance, DateTime now, DateTime leaseUntil, IReadOnlyList<string> servedRuntimeAgents, CancellationToken ct)
    {
        // The candidates joined as a VALUES list with their order (one primary-key probe each); filtering an id list
        // inside an ORDER BY … LIMIT let PostgreSQL walk the whole unfinished-turns index when it had no statistics.
        var sql = new SqlText().Raw("WITH v(id, ord) AS (VALUES ").Rows(candidates.Select((id, i) => (id, i)), c => [c.id, c.i])
            .Raw($") UPDATE turns SET status = {(int)TurnStatusValue.Running}, claimed_by = ").P(instance)
            .Raw(", claimed_until = ").P(leaseUntil).Raw(", attempts = attempts + 1, updated_at = ").P(now)
            .Raw(" WHERE id IN (SELECT t.id FROM v JOIN turns t ON t.id = v.id")
            .Raw($" WHERE ((t.status = {(int)TurnStatusValue.Pending} AND t.next_attempt_at <= ").P(now).Raw(")")
            .Raw($" OR (t.status IN ({(int)TurnStatusValue.Running}, {(int)TurnStatusValue.AwaitingRuntime}) AND t.claimed_until < ").P(now).Raw("))")
            .Raw(" AND (t.agent_id IS NULL");
        if (servedRuntimeAgents.Count > 0) sql.Raw(" OR t.agent_id IN (").List(servedRuntimeAgents).Raw(")");
        sql.Raw(" OR NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = t.agent_id AND a.kind = 'external'))")
            .Raw(" ORDER BY v.ord LIMIT ").P(limit);
        // PostgreSQL: rows another instance is claiming right now are skipped instead of waited for.
        if (db.Provider == DatabaseProvider.Postgres) sql.Raw(" FOR UPDATE OF t SKIP LOCKED");
        sql.Raw(") RETURNING id");
        return await sql.QueryStringsAsync(db, ct);
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed record UnfinishedRow(string Id, string ConversationId, TurnStatusValue Status, DateTime NextAttemptAt, DateTime? ClaimedUntil, DateTime CreatedAt);
}
