using ClawScale.Kernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Claims due turns with a lease in one statement. A turn is due when pending and its time has come, or running with
/// an expired lease (its kernel died). Only the oldest unfinished turn of a conversation is eligible, which keeps turns
/// in order per conversation while conversations run in parallel. On PostgreSQL rows are locked with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several kernel instances never claim the same turn.
/// </summary>
internal static class TurnClaimer
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> due turns for <paramref name="instance"/>. Turns of connected-runtime agents
    /// (kind <c>external</c>) are claimed only for <paramref name="servedRuntimeAgents"/>: the
    /// agents with a runtime session connected to this instance. A turn awaiting a runtime whose lease expired is due again.
    /// Dial-out agents (kind <c>grpc-runtime</c>) are run by any instance, like plugin agents.
    /// </summary>
    public static async Task<List<string>> ClaimAsync(ClawScaleDbContext db, string instance, DateTime now, DateTime leaseUntil, int limit, IReadOnlyList<string> servedRuntimeAgents, CancellationToken ct)
    {
        var skipLocked = db.Provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : string.Empty;
        var parameters = new List<object> { instance, leaseUntil, now, limit };
        var served = "1 = 0";
        if (servedRuntimeAgents.Count > 0)
        {
            served = "t.agent_id IN (" + string.Join(", ", servedRuntimeAgents.Select((_, i) => "{" + (4 + i) + "}")) + ")";
            parameters.AddRange(servedRuntimeAgents);
        }

        // Status values: 1 pending, 2 running, 3 awaiting runtime (TurnStatusValue).
        var sql = $$"""
            UPDATE turns SET status = 2, claimed_by = {0}, claimed_until = {1}, attempts = attempts + 1, updated_at = {2}
            WHERE id IN (
                SELECT t.id FROM turns t
                WHERE t.status IN (1, 2, 3)
                  AND ((t.status = 1 AND t.next_attempt_at <= {2}) OR (t.status IN (2, 3) AND t.claimed_until < {2}))
                  AND (t.agent_id IS NULL OR {{served}}
                       OR NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = t.agent_id AND a.kind = 'external'))
                  AND NOT EXISTS (
                      SELECT 1 FROM turns o
                      WHERE o.conversation_id = t.conversation_id AND o.status IN (1, 2, 3)
                        AND (o.created_at < t.created_at OR (o.created_at = t.created_at AND o.id < t.id)))
                ORDER BY t.created_at, t.id
                LIMIT {3}
                {{skipLocked}})
            RETURNING id AS "Value"
            """;
        return await db.Database.SqlQueryRaw<string>(sql, parameters.ToArray()).ToListAsync(ct);
    }
}
