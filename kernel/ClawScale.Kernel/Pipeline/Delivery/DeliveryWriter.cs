using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Telemetry;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>
/// Creates outbound deliveries for the DELIVER stage (used by DISPATCH and DeliveryService.Deliver), with the
/// idempotency rules of ARCHITECTURE.md: a key is unique per tenant; the same key with the same payload returns the
/// first delivery, with a different payload it is a conflict. The insert is <c>ON CONFLICT (tenant_id,
/// idempotency_key) DO NOTHING</c>, so concurrent callers with one key store exactly one row.
/// </summary>
/// <remarks>
/// Runs in the caller's transaction when <see cref="ClawScaleDbContext"/> has one; then the caller must call
/// <see cref="IPipelineSignals.DeliveriesAvailable"/> after committing (workers also poll, so a missed signal only
/// delays the send by the poll interval). Without a transaction the row is committed at once and the signal is given here.
/// </remarks>
internal sealed class DeliveryWriter(ClawScaleDbContext db, IPipelineSignals signals, DeliveryChangeFeed changes, TimeProvider time)
{
    /// <summary>
    /// Stores a pending delivery to the route <paramref name="routeId"/> of <paramref name="tenantId"/>, due now, with the
    /// trace context of the current activity (a DeliveryService.Deliver call continues its caller's trace).
    /// </summary>
    /// <returns>Created, Existing (same payload), Conflict (different payload) or RouteNotFound.</returns>
    public Task<DeliveryEnqueueResult> EnqueueAsync(
        string tenantId,
        string routeId,
        string? conversationId,
        string? turnId,
        string idempotencyKey,
        string? text,
        IReadOnlyList<MessageAttachment>? attachments,
        string? replyToPlatformMessageId,
        IReadOnlyDictionary<string, string>? properties,
        CancellationToken cancellationToken) =>
        EnqueueAsync(tenantId, routeId, conversationId, turnId, idempotencyKey, text, attachments, replyToPlatformMessageId, properties,
            KernelTracing.CurrentTraceParent(), cancellationToken);

    /// <summary>Stores a pending delivery to the route <paramref name="routeId"/> of <paramref name="tenantId"/>, due now.</summary>
    /// <param name="tenantId">The tenant (idempotency keys are scoped to it).</param>
    /// <param name="routeId">The exact delivery route; a retry is never re-routed.</param>
    /// <param name="conversationId">The conversation, or null (proactive messages).</param>
    /// <param name="turnId">The turn that produced it, or null.</param>
    /// <param name="idempotencyKey">The key, at most 200 characters.</param>
    /// <param name="text">The text, or null.</param>
    /// <param name="attachments">Files, or null.</param>
    /// <param name="replyToPlatformMessageId">The platform message to quote, or null.</param>
    /// <param name="properties">Adapter properties, or null.</param>
    /// <param name="traceParent">The W3C traceparent the DELIVER span continues (see <see cref="KernelTracing"/>), or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Created, Existing (same payload), Conflict (different payload) or RouteNotFound.</returns>
    public async Task<DeliveryEnqueueResult> EnqueueAsync(
        string tenantId,
        string routeId,
        string? conversationId,
        string? turnId,
        string idempotencyKey,
        string? text,
        IReadOnlyList<MessageAttachment>? attachments,
        string? replyToPlatformMessageId,
        IReadOnlyDictionary<string, string>? properties,
        string? traceParent,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(routeId);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var channelId = await db.DeliveryRoutes
            .Where(r => r.Id == routeId && r.TenantId == tenantId)
            .Select(r => r.ChannelId)
            .FirstOrDefaultAsync(cancellationToken);
        if (channelId is null) return new DeliveryEnqueueResult(DeliveryEnqueueStatus.RouteNotFound, null);

        var attachmentsJson = AttachmentJson.Write(attachments);
        var now = time.GetUtcNow().UtcDateTime;
        var row = new OutboundDeliveryEntity
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
            TenantId = tenantId,
            ChannelId = channelId,
            DeliveryRouteId = routeId,
            ConversationId = conversationId,
            TurnId = turnId,
            IdempotencyKey = idempotencyKey,
            PayloadHash = PayloadHash(routeId, text, attachmentsJson),
            Text = text ?? string.Empty,
            AttachmentsJson = attachmentsJson,
            ReplyToPlatformMessageId = replyToPlatformMessageId,
            PropertiesJson = JsonMaps.Write(properties),
            Status = DeliveryStatusValue.Pending,
            Attempts = 0,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
            TraceParent = traceParent,
        };

        var inserted = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO outbound_deliveries (id, tenant_id, channel_id, delivery_route_id, conversation_id, turn_id, idempotency_key,
                payload_hash, text, attachments_json, reply_to_platform_message_id, properties_json, status, attempts, next_attempt_at,
                last_error, provider_message_id, created_at, updated_at, trace_parent)
            VALUES ({row.Id}, {row.TenantId}, {row.ChannelId}, {row.DeliveryRouteId}, {row.ConversationId}, {row.TurnId}, {row.IdempotencyKey},
                {row.PayloadHash}, {row.Text}, {row.AttachmentsJson}, {row.ReplyToPlatformMessageId}, {row.PropertiesJson}, {(int)row.Status}, 0, {now},
                '', '', {now}, {now}, {row.TraceParent})
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            """,
            cancellationToken);
        if (inserted == 1)
        {
            if (db.Database.CurrentTransaction is null)
            {
                signals.DeliveriesAvailable();
                changes.Notify();
            }

            return new DeliveryEnqueueResult(DeliveryEnqueueStatus.Created, row);
        }

        var existing = await db.OutboundDeliveries.AsNoTracking()
            .FirstAsync(d => d.TenantId == tenantId && d.IdempotencyKey == idempotencyKey, cancellationToken);
        return new DeliveryEnqueueResult(
            string.Equals(existing.PayloadHash, row.PayloadHash, StringComparison.Ordinal) ? DeliveryEnqueueStatus.Existing : DeliveryEnqueueStatus.Conflict,
            existing);
    }

    /// <summary>
    /// SHA-256 (lowercase hex) of the canonical payload: the JSON array <c>[route id, text, attachments json]</c>, with
    /// attachments in <see cref="AttachmentJson"/> form and a missing text as an empty string.
    /// </summary>
    public static string PayloadHash(string routeId, string? text, string attachmentsJson)
    {
        var canonical = JsonSerializer.Serialize(new[] { routeId, text ?? string.Empty, attachmentsJson });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
