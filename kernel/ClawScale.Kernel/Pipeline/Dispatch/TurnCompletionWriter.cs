using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Plugins.Agents;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>The outcome of one turn, ready to store: its replies (to store and deliver) and its error, if any.</summary>
/// <param name="Turn">The claimed turn.</param>
/// <param name="Conversation">Its conversation.</param>
/// <param name="Route">The conversation's delivery route, or null when the route is gone (nothing is delivered).</param>
/// <param name="Replies">The replies, in order.</param>
/// <param name="Role">The role of the stored replies (agent, or system for kernel commands and apologies).</param>
/// <param name="Error">Why the turn failed, or null when it completed.</param>
/// <param name="ReplyToPlatformMessageId">The platform message the first reply quotes, or null.</param>
/// <param name="Properties">Adapter properties of the inbound message, passed to the deliveries.</param>
/// <param name="TraceParent">The W3C traceparent stored with the deliveries (the DISPATCH span's), or null.</param>
internal sealed record TurnCompletion(
    TurnEntity Turn,
    ConversationEntity Conversation,
    RouteAddress? Route,
    IReadOnlyList<AgentReply> Replies,
    MessageRoleValue Role,
    string? Error,
    string? ReplyToPlatformMessageId,
    IReadOnlyDictionary<string, string>? Properties,
    string? TraceParent = null);

/// <summary>
/// Stores turn outcomes in one transaction per batch (used through <see cref="GroupCommitQueue{TItem,TResult}"/>): the
/// turns are completed or failed only where this instance still holds the claim (<c>UPDATE … RETURNING id</c>); for
/// those, the reply messages are inserted with a multi-row <c>INSERT</c> and their deliveries created with one multi-row
/// <c>INSERT … ON CONFLICT (tenant_id, idempotency_key) DO NOTHING</c>. The idempotency key <c>turn:{id}:{n}</c> makes
/// a re-run after a crash deliver nothing twice. A turn whose claim was lost stores nothing (its new owner finishes it).
/// </summary>
internal static class TurnCompletionWriter
{
    /// <summary>
    /// Stores <paramref name="completions"/> for <paramref name="instance"/>; per item, whether it was stored. The first
    /// new delivery of each route with no unfinished delivery is stored already claimed by <paramref name="pool"/>'s worker
    /// (status sending, attempt 1, lease <paramref name="lease"/>) as far as the pool has free slots, and handed off to it
    /// after the commit; the others are stored pending and <paramref name="signals"/> tells DELIVER to claim them.
    /// </summary>
    public static async Task<IReadOnlyList<bool>> WriteAsync(
        ClawScaleDbContext db, IReadOnlyList<TurnCompletion> completions, string instance, DeliveryPool pool, TimeSpan lease, IPipelineSignals signals, TimeProvider time, CancellationToken ct)
    {
        var (stored, pending) = await HandOffTransaction.RunAsync<HandedDelivery, (IReadOnlyList<bool>, bool)>(db, pool, async (reserve, c) =>
        {
            var written = await WriteInTransactionAsync(db, completions, instance, pool, lease, time, reserve, c);
            return ((written.Stored, written.Pending), written.Handed);
        }, ct);
        if (pending) signals.DeliveriesAvailable();
        return stored;
    }

    private static async Task<(IReadOnlyList<bool> Stored, List<HandedDelivery> Handed, bool Pending)> WriteInTransactionAsync(
        ClawScaleDbContext db, IReadOnlyList<TurnCompletion> completions, string instance, DeliveryPool pool, TimeSpan lease, TimeProvider time,
        Func<int, int> reserve, CancellationToken c)
    {
            var now = time.GetUtcNow();
            var nowUtc = now.UtcDateTime;
            var confirmed = new HashSet<string>(StringComparer.Ordinal);

            var completed = completions.Where(x => x.Error is null).Select(x => x.Turn.Id).ToList();
            if (completed.Count > 0)
            {
                var sql = new SqlText().Raw($"UPDATE turns SET status = {(int)TurnStatusValue.Completed}")
                    .Raw(", last_error = '', completed_at = ").P(nowUtc).Raw(", updated_at = ").P(nowUtc)
                    .Raw(", claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ").P(instance)
                    .Raw(" AND id IN (").List(completed).Raw(") RETURNING id");
                confirmed.UnionWith(await sql.QueryStringsAsync(db, c));
            }

            foreach (var failed in completions.Where(x => x.Error is not null))
            {
                var sql = new SqlText().Raw($"UPDATE turns SET status = {(int)TurnStatusValue.Failed}")
                    .Raw(", last_error = ").P(failed.Error).Raw(", completed_at = ").P(nowUtc).Raw(", updated_at = ").P(nowUtc)
                    .Raw(", claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ").P(instance)
                    .Raw(" AND id = ").P(failed.Turn.Id).Raw(" RETURNING id");
                confirmed.UnionWith(await sql.QueryStringsAsync(db, c));
            }

            var messages = new List<object?[]>();
            var deliveries = new List<(OutboundDeliveryEntity Row, RouteAddress Route, DateTime AcceptedAt)>();
            foreach (var x in completions.Where(x => confirmed.Contains(x.Turn.Id)))
            {
                for (var i = 0; i < x.Replies.Count; i++)
                {
                    var reply = x.Replies[i];
                    var attachments = AttachmentJson.Write(reply.Attachments);
                    var at = nowUtc.AddTicks(i);
                    // Columns as in the messages INSERT below.
                    messages.Add([Guid.CreateVersion7(now).ToString(), x.Turn.TenantId, x.Conversation.Id, (int)x.Role, reply.Text ?? string.Empty, attachments, string.Empty, x.Turn.Id, at]);
                    if (x.Route is null) continue;
                    var routeId = x.Route.Id;
                    // A new delivery is pending, due now, with no attempt yet (unless claimed below).
                    deliveries.Add((new OutboundDeliveryEntity
                    {
                        Id = Guid.CreateVersion7(now).ToString(),
                        TenantId = x.Turn.TenantId,
                        ChannelId = x.Route.ChannelId,
                        DeliveryRouteId = routeId,
                        ConversationId = x.Conversation.Id,
                        TurnId = x.Turn.Id,
                        IdempotencyKey = $"turn:{x.Turn.Id}:{i}",
                        PayloadHash = DeliveryWriter.PayloadHash(routeId, reply.Text, attachments),
                        Text = reply.Text ?? string.Empty,
                        AttachmentsJson = attachments,
                        ReplyToPlatformMessageId = i == 0 ? x.ReplyToPlatformMessageId : null,
                        PropertiesJson = JsonMaps.Write(x.Properties),
                        Status = DeliveryStatusValue.Pending,
                        NextAttemptAt = at,
                        CreatedAt = at,
                        UpdatedAt = at,
                        TraceParent = x.TraceParent,
                    }, x.Route, x.Turn.CreatedAt));
                }
            }

            // Multi-row INSERTs (EF Core's SaveChanges would send one statement per row).
            foreach (var chunk in messages.Chunk(SqlText.MaxRowsPerStatement))
            {
                await new SqlText()
                    .Raw("INSERT INTO messages (id, tenant_id, conversation_id, role, text, attachments_json, provider_message_id, turn_id, created_at) VALUES ")
                    .Rows(chunk, row => row)
                    .ExecuteAsync(db, c);
            }

            var handed = new List<HandedDelivery>();
            if (deliveries.Count == 0) return (completions.Select(x => confirmed.Contains(x.Turn.Id)).ToList(), handed, false);

            // Claimed at once: the first delivery of each route that has no unfinished delivery (so the route's order
            // holds), as far as DELIVER has free slots. A route busy in another transaction that has not committed yet
            // is not seen; its deliveries and these were concurrent, so either order is theirs.
            var routeIds = deliveries.Select(d => d.Row.DeliveryRouteId).Distinct(StringComparer.Ordinal).ToList();
            var busy = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in routeIds.Chunk(SqlText.MaxRowsPerStatement))
            {
                // One index probe per route (EXISTS per value; an IN list can be planned as a scan without statistics).
                var sql = new SqlText().Raw("WITH v(id) AS (VALUES ").Rows(chunk, id => [id])
                    .Raw($") SELECT v.id FROM v WHERE EXISTS (SELECT 1 FROM outbound_deliveries o WHERE o.delivery_route_id = v.id AND o.status IN ({DeliveryClaims.Unfinished}))");
                busy.UnionWith(await sql.QueryStringsAsync(db, c));
            }

            var heads = deliveries.Where(d => busy.Add(d.Row.DeliveryRouteId)).ToList();
            var granted = reserve(heads.Count);
            var leaseUntil = nowUtc + lease;
            foreach (var (row, _, _) in heads.Take(granted))
            {
                row.Status = DeliveryStatusValue.Sending;
                row.Attempts = 1;
                row.ClaimedBy = pool.WorkerId;
                row.ClaimedUntil = leaseUntil;
            }

            var inserted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in deliveries.Chunk(SqlText.MaxRowsPerStatement))
            {
                var sql = new SqlText().Raw("""
                    INSERT INTO outbound_deliveries (id, tenant_id, channel_id, delivery_route_id, conversation_id, turn_id, idempotency_key,
                        payload_hash, text, attachments_json, reply_to_platform_message_id, properties_json, status, attempts, next_attempt_at,
                        last_error, provider_message_id, created_at, updated_at, trace_parent, claimed_by, claimed_until) VALUES 
                    """).Rows(chunk, d => [
                        d.Row.Id, d.Row.TenantId, d.Row.ChannelId, d.Row.DeliveryRouteId, d.Row.ConversationId, d.Row.TurnId, d.Row.IdempotencyKey,
                        d.Row.PayloadHash, d.Row.Text, d.Row.AttachmentsJson, d.Row.ReplyToPlatformMessageId, d.Row.PropertiesJson, (int)d.Row.Status, d.Row.Attempts, d.Row.NextAttemptAt,
                        d.Row.LastError, d.Row.ProviderMessageId, d.Row.CreatedAt, d.Row.UpdatedAt, d.Row.TraceParent, d.Row.ClaimedBy, d.Row.ClaimedUntil,
                    ]);
                // A re-run after a crash finds its deliveries stored already (idempotency key): nothing new is sent.
                sql.Raw(" ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id");
                inserted.UnionWith(await sql.QueryStringsAsync(db, c));
            }

            handed.AddRange(deliveries.Where(d => d.Row.Status == DeliveryStatusValue.Sending && inserted.Contains(d.Row.Id)).Select(d => new HandedDelivery(d.Row, d.Route, d.AcceptedAt)));
            var pending = deliveries.Any(d => d.Row.Status == DeliveryStatusValue.Pending && inserted.Contains(d.Row.Id));
            return (completions.Select(x => confirmed.Contains(x.Turn.Id)).ToList(), handed, pending);
    }
}
