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
    /// A tenant's turns, newest first, optionally of one status or conversation; keyset-paged by id (UUIDv7,
    /// descending). NOT_FOUND for another tenant (tenant-scoped keys) or a missing tenant.
    /// </summary>
    public override async Task<ListTurnsResponse> ListTurns(ListTurnsRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var size = Paging.Size(request.PageSize);
        var before = Paging.After(request.PageToken);
        if (!Enum.IsDefined(request.Status)) throw GrpcErrors.InvalidArgument("status", "is not a known TurnStatus.");
        var query = db.Turns.Where(t => t.TenantId == tenantId);
        if (request.Status != TurnStatus.Unspecified)
        {
            var status = (TurnStatusValue)(int)request.Status;
            query = query.Where(t => t.Status == status);
        }

        if (!string.IsNullOrEmpty(request.ConversationId)) query = query.Where(t => t.ConversationId == request.ConversationId);
        if (before is not null) query = query.Where(t => string.Compare(t.Id, before) < 0);
        var rows = await query.OrderByDescending(t => t.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListTurnsResponse { NextPageToken = Paging.Next(rows, size, t => t.Id) };
        response.Turns.AddRange(rows.Select(ToProto));
        return response;
    }

    private static Turn ToProto(TurnEntity e)
    {
        var turn = new Turn
        {
            Id = e.Id,
            TenantId = e.TenantId,
            ConversationId = e.ConversationId,
            AgentId = e.AgentId ?? string.Empty,
            Status = (TurnStatus)(int)e.Status,
            Attempts = e.Attempts,
            LastError = e.LastError,
            CreateTime = ProtoMapping.Ts(e.CreatedAt),
        };
        if (e.CompletedAt is { } done) turn.CompleteTime = ProtoMapping.Ts(done);
        return turn;
    }
}
