using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Routing;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Logging;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Delivery;

/// <summary>
/// <c>clawscale.v1.DeliveryService</c> (delivery.proto): proactive outbound messages through the DELIVER stage with
/// the idempotency rules of ARCHITECTURE.md (<see cref="DeliveryWriter"/>), and their status. Every key of a tenant
/// may call it; another tenant's deliveries, routes and conversations answer NOT_FOUND. A runtime key is narrowed to
/// the conversations answered by its agents (<see cref="RuntimeScope"/>): it sends only to their conversations and
/// routes and sees only their deliveries; anything else of its tenant answers PERMISSION_DENIED (lists and watches
/// leave it out).
/// </summary>
internal sealed partial class DeliveryGrpcService(
    ClawScaleDbContext db,
    DeliveryWriter writer,
    DeliveryChangeFeed changes,
    ApiKeyStreamGuard keys,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<DeliveryGrpcService> logger) : DeliveryService.DeliveryServiceBase
{
    /// <summary>How far back a watcher re-reads rows, so a change committed with an earlier timestamp is not missed.</summary>
    private static readonly TimeSpan WatchOverlap = TimeSpan.FromSeconds(2);

    private const int WatchBatch = 500;

    /// <summary>
    /// Stores a pending delivery to the target's route. The same idempotency key with the same payload (route, text,
    /// attachments) answers the first delivery with replayed = true; with a different payload ALREADY_EXISTS.
    /// INVALID_ARGUMENT for a missing key, target or content; NOT_FOUND for a target not of the tenant;
    /// PERMISSION_DENIED for a runtime key whose agents do not answer the target.
    /// </summary>
    public override async Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var tenantId = caller.ResolveTenant(request.TenantId);
        var ct = context.CancellationToken;
        var key = RequestValidation.Required(request.IdempotencyKey, "idempotency_key", 200);
        var attachments = AttachmentValidation.Read(request.Attachments, "attachments");
        if (request.Text.Length == 0 && attachments.Count == 0) throw GrpcErrors.InvalidArgument("text", "text or attachments are required.");
        if (request.Text.Length > 65536) throw GrpcErrors.InvalidArgument("text", "must be at most 65536 characters.");

        string routeId;
        string? conversationId = null;
        switch (request.TargetCase)
        {
            case DeliverRequest.TargetOneofCase.ConversationId:
                var cid = RequestValidation.Id(request.ConversationId, "conversation_id");
                routeId = await db.Conversations.Where(c => c.Id == cid && c.TenantId == tenantId).Select(c => c.DeliveryRouteId).FirstOrDefaultAsync(ct)
                    ?? throw GrpcErrors.NotFound("conversation", cid);
                conversationId = cid;
                await RuntimeScope.EnsureConversationAsync(db, caller, cid, ct);
                break;
            case DeliverRequest.TargetOneofCase.DeliveryRouteId:
                routeId = RequestValidation.Id(request.DeliveryRouteId, "delivery_route_id");
                if (caller.IsAgentScoped())
                {
                    var rid = routeId;
                    if (!await db.DeliveryRoutes.AnyAsync(r => r.Id == rid && r.TenantId == tenantId, ct)) throw GrpcErrors.NotFound("delivery route", rid);
                    await RuntimeScope.EnsureRouteAsync(db, caller, rid, $"delivery route '{rid}'", ct);
                }

                break;
            case DeliverRequest.TargetOneofCase.ConversationKey:
                var conversationKey = RoutingGrpcService.ValidKey(request.ConversationKey);
                routeId = await db.DeliveryRoutes.Where(r => r.TenantId == tenantId && r.ConversationKey == conversationKey).Select(r => r.Id).FirstOrDefaultAsync(ct)
                    ?? throw GrpcErrors.NotFound("conversation key", conversationKey);
                await RuntimeScope.EnsureRouteAsync(db, caller, routeId, $"conversation_key '{conversationKey}'", ct);
                break;
            default:
                throw GrpcErrors.InvalidArgument("target", "is required: conversation_id, delivery_route_id or conversation_key.");
        }

        var result = await writer.EnqueueAsync(tenantId, routeId, conversationId, null, key, request.Text.Length == 0 ? null : request.Text, attachments, null, null, ct);
        switch (result.Status)
        {
            case DeliveryEnqueueStatus.RouteNotFound:
                throw GrpcErrors.NotFound("delivery route", routeId);
            case DeliveryEnqueueStatus.Conflict:
                throw GrpcErrors.AlreadyExists(
                    $"idempotency_key '{key}' was already used with a different payload (delivery '{result.Delivery!.Id}'); use a new key for a different message or target.");
            case DeliveryEnqueueStatus.Existing:
                LogReplayed(logger, tenantId, key, result.Delivery!.Id);
                return new DeliverResponse { Delivery = result.Delivery.ToProto(), Replayed = true };
            default:
                LogCreated(logger, tenantId, result.Delivery!.Id, routeId);
                return new DeliverResponse { Delivery = result.Delivery.ToProto() };
        }
    }

    /// <summary>
    /// A delivery by id; NOT_FOUND when missing or another tenant's; PERMISSION_DENIED for a runtime key whose agents do
    /// not answer its conversation (or route).
    /// </summary>
    public override async Task<GetDeliveryResponse> GetDelivery(GetDeliveryRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var id = RequestValidation.Id(request.DeliveryId, "delivery_id");
        var delivery = await db.OutboundDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, context.CancellationToken);
        if (delivery is null || !caller.CanSee(delivery.TenantId)) throw GrpcErrors.NotFound("delivery", id);
        await RuntimeScope.EnsureDeliveryAsync(db, caller, id, context.CancellationToken);
        return new GetDeliveryResponse { Delivery = delivery.ToProto() };
    }

    /// <summary>
    /// A tenant's deliveries, newest first, optionally of one status and/or conversation; keyset-paged by id. Runtime
    /// keys see only the deliveries of their agents' conversations and routes.
    /// </summary>
    public override async Task<ListDeliveriesResponse> ListDeliveries(ListDeliveriesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var ct = context.CancellationToken;
        var tenantId = caller.ResolveTenant(request.TenantId);
        if (caller.IsPlatformAdmin && !await db.Tenants.AnyAsync(t => t.Id == tenantId, ct)) throw GrpcErrors.NotFound("tenant", tenantId);
        if (!Enum.IsDefined(request.Status)) throw GrpcErrors.InvalidArgument("status", "is not a known DeliveryStatus.");
        var size = Paging.Size(request.PageSize);
        var before = Paging.After(request.PageToken);
        var query = db.OutboundDeliveries.AsNoTracking().Where(d => d.TenantId == tenantId).InScopeOf(db, caller);
        if (request.Status != DeliveryStatus.Unspecified)
        {
            var status = (DeliveryStatusValue)(int)request.Status;
            query = query.Where(d => d.Status == status);
        }

        if (request.ConversationId.Length > 0) query = query.Where(d => d.ConversationId == request.ConversationId);
        if (before is not null) query = query.Where(d => string.Compare(d.Id, before) < 0);
        var rows = await query.OrderByDescending(d => d.Id).Take(size + 1).ToListAsync(ct);
        var response = new ListDeliveriesResponse { NextPageToken = Paging.Next(rows, size, d => d.Id) };
        response.Deliveries.AddRange(rows.Select(d => d.ToProto()));
        return response;
    }

    /// <summary>
    /// Streams status changes of the tenant's deliveries (or of <c>delivery_ids</c>, whose current state is sent
    /// first) until the client cancels. Woken in-process by <see cref="DeliveryChangeFeed"/>; polls the database every
    /// poll interval for changes made by other kernel instances. A watcher sees each state it observes once; states a
    /// delivery passes through between two reads may be skipped. NOT_FOUND for a delivery id not of the tenant.
    /// Runtime keys: only the deliveries of their agents' conversations and routes are streamed (checked on every read,
    /// so a rebinding takes effect while watching); naming another one in <c>delivery_ids</c> answers PERMISSION_DENIED.
    /// UNAUTHENTICATED when the key is revoked (or its tenant deleted) while watching (<see cref="ApiKeyStreamGuard"/>).
    /// </summary>
    public override async Task WatchDeliveries(WatchDeliveriesRequest request, IServerStreamWriter<WatchDeliveriesResponse> responseStream, ServerCallContext context)
    {
        var caller = context.GetCaller();
        // Cancelled when the client ends the watch or the key is revoked.
        using var lease = keys.Track(caller, context.CancellationToken);
        try
        {
            await WatchAsync(caller, lease.Token, request, responseStream);
        }
        catch (Exception) when (lease.IsRevoked && !context.CancellationToken.IsCancellationRequested)
        {
            throw ApiKeyStreamLease.RevokedError();
        }

        if (lease.IsRevoked && !context.CancellationToken.IsCancellationRequested) throw ApiKeyStreamLease.RevokedError();
    }

    private async Task WatchAsync(Caller caller, CancellationToken ct, WatchDeliveriesRequest request, IServerStreamWriter<WatchDeliveriesResponse> responseStream)
    {
        var tenantId = caller.ResolveTenant(request.TenantId);
        if (caller.IsPlatformAdmin && !await db.Tenants.AnyAsync(t => t.Id == tenantId, ct)) throw GrpcErrors.NotFound("tenant", tenantId);
        var ids = request.DeliveryIds.Select((id, i) => RequestValidation.Id(id, $"delivery_ids[{i}]")).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 500) throw GrpcErrors.InvalidArgument("delivery_ids", "must name at most 500 deliveries; watch the whole tenant instead.");

        var seen = new Dictionary<string, (DeliveryStatusValue Status, int Attempts, DateTime UpdatedAt)>(StringComparer.Ordinal);
        var watermark = time.GetUtcNow().UtcDateTime - WatchOverlap;
        if (ids.Count > 0)
        {
            var initial = await db.OutboundDeliveries.AsNoTracking().Where(d => d.TenantId == tenantId && ids.Contains(d.Id)).ToListAsync(ct);
            var missing = ids.FirstOrDefault(id => initial.All(d => d.Id != id));
            if (missing is not null) throw GrpcErrors.NotFound("delivery", missing);
            if (caller.IsAgentScoped())
            {
                var visible = await db.OutboundDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).InScopeOf(db, caller).Select(d => d.Id).ToListAsync(ct);
                var hidden = ids.FirstOrDefault(id => !visible.Contains(id));
                if (hidden is not null) throw RuntimeScope.OutOfScope($"delivery '{hidden}'");
            }

            foreach (var row in initial.OrderBy(d => ids.IndexOf(d.Id)))
            {
                seen[row.Id] = (row.Status, row.Attempts, row.UpdatedAt);
                await responseStream.WriteAsync(new WatchDeliveriesResponse { Delivery = row.ToProto() }, ct);
            }
        }

        LogWatching(logger, tenantId, ids.Count);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var next = changes.NextChange;
                var query = db.OutboundDeliveries.AsNoTracking().Where(d => d.TenantId == tenantId && d.UpdatedAt >= watermark).InScopeOf(db, caller);
                if (ids.Count > 0) query = query.Where(d => ids.Contains(d.Id));
                var rows = await query.OrderBy(d => d.UpdatedAt).ThenBy(d => d.Id).Take(WatchBatch).ToListAsync(ct);
                foreach (var row in rows)
                {
                    var stamp = (row.Status, row.Attempts, row.UpdatedAt);
                    if (seen.TryGetValue(row.Id, out var last) && last == stamp) continue;
                    seen[row.Id] = stamp;
                    await responseStream.WriteAsync(new WatchDeliveriesResponse { Delivery = row.ToProto() }, ct);
                }

                var full = rows.Count == WatchBatch && rows[^1].UpdatedAt > watermark;
                if (rows.Count > 0) watermark = full ? rows[^1].UpdatedAt : Max(watermark, rows[^1].UpdatedAt - WatchOverlap);
                var now = time.GetUtcNow().UtcDateTime;
                if (!full && now - WatchOverlap > watermark) watermark = now - WatchOverlap;
                if (ids.Count == 0) Prune(seen, watermark);
                if (full) continue;

                using var poll = CancellationTokenSource.CreateLinkedTokenSource(ct);
                poll.CancelAfter(options.Value.PollInterval);
                await next.WaitAsync(poll.Token).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client ended the watch, or the key was revoked (WatchDeliveries answers UNAUTHENTICATED).
        }
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static void Prune(Dictionary<string, (DeliveryStatusValue Status, int Attempts, DateTime UpdatedAt)> seen, DateTime watermark)
    {
        if (seen.Count < 1000) return;
        foreach (var (id, stamp) in seen.ToList())
        {
            if (stamp.UpdatedAt < watermark) seen.Remove(id);
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Tenant {TenantId}: delivery {DeliveryId} queued to route {RouteId}")]
    private static partial void LogCreated(ILogger logger, string tenantId, string deliveryId, string routeId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "Tenant {TenantId}: idempotency key {Key} replayed delivery {DeliveryId}")]
    private static partial void LogReplayed(ILogger logger, string tenantId, SafeLogString key, string deliveryId);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Debug, Message = "Tenant {TenantId}: watching deliveries ({Count} ids; 0 = all)")]
    private static partial void LogWatching(ILogger logger, string tenantId, int count);
}
