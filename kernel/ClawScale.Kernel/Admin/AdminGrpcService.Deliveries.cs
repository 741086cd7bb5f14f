using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    /// <summary>
    /// A tenant's deliveries, newest first, optionally of one status; keyset-paged by id (UUIDv7, descending).
    /// NOT_FOUND for another tenant (tenant-scoped keys) or a missing tenant.
    /// </summary>
    public override async Task<AdminListDeliveriesResponse> ListDeliveries(AdminListDeliveriesRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var size = Paging.Size(request.PageSize);
        var before = Paging.After(request.PageToken);
        if (!Enum.IsDefined(request.Status)) throw GrpcErrors.InvalidArgument("status", "is not a known DeliveryStatus.");
        var query = db.OutboundDeliveries.Where(d => d.TenantId == tenantId);
        if (request.Status != DeliveryStatus.Unspecified)
        {
            var status = (DeliveryStatusValue)(int)request.Status;
            query = query.Where(d => d.Status == status);
        }

        if (before is not null) query = query.Where(d => string.Compare(d.Id, before) < 0);
        var rows = await query.OrderByDescending(d => d.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new AdminListDeliveriesResponse { NextPageToken = Paging.Next(rows, size, d => d.Id) };
        response.Deliveries.AddRange(rows.Select(d => d.ToProto()));
        return response;
    }

    /// <summary>
    /// Revives a dead or failed delivery: pending, due now, attempts reset to 0, last error kept, same route (never
    /// re-routed). NOT_FOUND for a missing delivery or another tenant's; FAILED_PRECONDITION when it is delivered or
    /// being sent.
    /// </summary>
    public override async Task<RetryDeliveryResponse> RetryDelivery(RetryDeliveryRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var id = RequestValidation.Id(request.DeliveryId, "delivery_id");
        var ct = context.CancellationToken;
        var delivery = await db.OutboundDeliveries.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null || !caller.CanSee(delivery.TenantId)) throw GrpcErrors.NotFound("delivery", id);

        var now = Now;
        var updated = await db.OutboundDeliveries
            .Where(d => d.Id == id && (d.Status == DeliveryStatusValue.Dead || d.Status == DeliveryStatusValue.Failed))
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, DeliveryStatusValue.Pending)
                    .SetProperty(d => d.Attempts, 0)
                    .SetProperty(d => d.NextAttemptAt, now)
                    .SetProperty(d => d.ClaimedUntil, (DateTime?)null)
                    .SetProperty(d => d.UpdatedAt, now),
                ct);
        if (updated == 0)
        {
            var current = await db.OutboundDeliveries.Where(d => d.Id == id).Select(d => (DeliveryStatusValue?)d.Status).FirstOrDefaultAsync(ct);
            throw current switch
            {
                null => GrpcErrors.NotFound("delivery", id),
                DeliveryStatusValue.Delivered => GrpcErrors.FailedPrecondition($"Delivery '{id}' was already delivered; only failed or dead deliveries can be retried."),
                DeliveryStatusValue.Sending => GrpcErrors.FailedPrecondition($"Delivery '{id}' is being sent right now; retry it only if it ends failed or dead."),
                _ => GrpcErrors.FailedPrecondition($"Delivery '{id}' is already pending; it will be sent without a retry."),
            };
        }

        signals.DeliveriesAvailable();
        var revived = await db.OutboundDeliveries.FirstAsync(d => d.Id == id, ct);
        return new RetryDeliveryResponse { Delivery = revived.ToProto() };
    }
}
