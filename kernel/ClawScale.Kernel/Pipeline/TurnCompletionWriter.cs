using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Plugins.Agents;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline;

/// <summary>The outcome of one turn, ready to store: its replies (to store and deliver) and its error, if any.</summary>
/// <param name="Turn">The claimed turn.</param>
/// <param name="Conversation">Its conversation.</param>
/// <param name="RouteChannelId">The channel of the conversation's delivery route, or null when the route is gone (nothing is delivered).</param>
/// <param name="Replies">The replies, in order.</param>
/// <param name="Role">The role of the stored replies (agent, or system for kernel commands and apologies).</param>
/// <param name="Error">Why the turn failed, or null when it completed.</param>
/// <param name="ReplyToPlatformMessageId">The platform message the first reply quotes, or null.</param>
/// <param name="Properties">Adapter properties of the inbound message, passed to the deliveries.</param>
/// <param name="TraceParent">The W3C traceparent stored with the deliveries (the DISPATCH span's), or null.</param>
internal sealed record TurnCompletion(
    TurnEntity Turn,
    ConversationEntity Conversation,
    string? RouteChannelId,
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
    /// <summary>Stores <paramref name="completions"/> for <paramref name="instance"/>; per item, whether it was stored.</summary>
    public static async Task<IReadOnlyList<bool>> WriteAsync(ClawScaleDbContext db, IReadOnlyList<TurnCompletion> completions, string instance, TimeProvider time, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async c =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(c);
            var now = time.GetUtcNow();
            var nowUtc = now.UtcDateTime;
            var confirmed = new HashSet<string>(StringComparer.Ordinal);

            var completed = completions.Where(x => x.Error is null).Select(x => x.Turn.Id).ToList();
            if (completed.Count > 0)
            {
                var sql = new SqlText().Raw("UPDATE turns SET status = ").P((int)TurnStatusValue.Completed)
                    .Raw(", last_error = '', completed_at = ").P(nowUtc).Raw(", updated_at = ").P(nowUtc)
                    .Raw(", claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ").P(instance)
                    .Raw(" AND id IN (").List(completed).Raw(") RETURNING id");
                confirmed.UnionWith(await sql.QueryStringsAsync(db, c));
            }

            foreach (var failed in completions.Where(x => x.Error is not null))
            {
                var sql = new SqlText().Raw("UPDATE turns SET status = ").P((int)TurnStatusValue.Failed)
                    .Raw(", last_error = ").P(failed.Error).Raw(", completed_at = ").P(nowUtc).Raw(", updated_at = ").P(nowUtc)
                    .Raw(", claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ").P(instance)
                    .Raw(" AND id = ").P(failed.Turn.Id).Raw(" RETURNING id");
                confirmed.UnionWith(await sql.QueryStringsAsync(db, c));
            }

            var messages = new List<object?[]>();
            var deliveries = new List<object?[]>();
            foreach (var x in completions.Where(x => confirmed.Contains(x.Turn.Id)))
            {
                for (var i = 0; i < x.Replies.Count; i++)
                {
                    var reply = x.Replies[i];
                    var attachments = AttachmentJson.Write(reply.Attachments);
                    var at = nowUtc.AddTicks(i);
                    // Columns as in the messages INSERT below.
                    messages.Add([Guid.CreateVersion7(now).ToString(), x.Turn.TenantId, x.Conversation.Id, (int)x.Role, reply.Text ?? string.Empty, attachments, string.Empty, x.Turn.Id, at]);
                    if (x.RouteChannelId is null) continue;
                    var routeId = x.Conversation.DeliveryRouteId;
                    // Columns as in the INSERT below; a new delivery is pending, due now, with no attempt yet.
                    deliveries.Add(
                    [
                        Guid.CreateVersion7(now).ToString(), x.Turn.TenantId, x.RouteChannelId, routeId, x.Conversation.Id, x.Turn.Id,
                        $"turn:{x.Turn.Id}:{i}", DeliveryWriter.PayloadHash(routeId, reply.Text, attachments), reply.Text ?? string.Empty, attachments,
                        i == 0 ? x.ReplyToPlatformMessageId : null, JsonMaps.Write(x.Properties), (int)DeliveryStatusValue.Pending, 0, at,
                        string.Empty, string.Empty, at, at, x.TraceParent,
                    ]);
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

            foreach (var chunk in deliveries.Chunk(SqlText.MaxRowsPerStatement))
            {
                var sql = new SqlText().Raw("""
                    INSERT INTO outbound_deliveries (id, tenant_id, channel_id, delivery_route_id, conversation_id, turn_id, idempotency_key,
                        payload_hash, text, attachments_json, reply_to_platform_message_id, properties_json, status, attempts, next_attempt_at,
                        last_error, provider_message_id, created_at, updated_at, trace_parent) VALUES 
                    """).Rows(chunk, row => row);
                sql.Raw(" ON CONFLICT (tenant_id, idempotency_key) DO NOTHING");
                await sql.ExecuteAsync(db, c);
            }

            await transaction.CommitAsync(c);
            return (IReadOnlyList<bool>)completions.Select(x => confirmed.Contains(x.Turn.Id)).ToList();
        }, ct);
    }
}
