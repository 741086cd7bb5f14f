using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Onboarding;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override async Task<CreateJoinLinkResponse> CreateJoinLink(CreateJoinLinkRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var ct = context.CancellationToken;
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, ct);
        var channel = await FindChannelAsync(caller, request.ChannelId, tracking: false, ct);
        if (channel.TenantId != tenantId) throw GrpcErrors.NotFound("channel", channel.Id);
        if (channel.Ownership != ChannelOwnershipValue.Shared)
            throw GrpcErrors.FailedPrecondition($"Channel {channel.Id} is customer-owned; join links are for shared channels. Create the link on a shared channel.");
        if (channel.Status == ChannelStatusValue.Archived)
            throw GrpcErrors.FailedPrecondition($"Channel {channel.Id} is archived and receives nothing; set its status back with UpdateChannel or use another channel.");

        string? customerId = null;
        if (!string.IsNullOrWhiteSpace(request.CustomerId))
        {
            customerId = RequestValidation.Id(request.CustomerId, "customer_id");
            if (!await db.Customers.AnyAsync(c => c.Id == customerId && c.TenantId == tenantId, ct)) throw GrpcErrors.NotFound("customer", customerId);
        }

        var label = RequestValidation.Length(request.Label.Trim(), "label", JoinLinkPolicy.MaxLabelLength);
        var lifetime = request.TtlSeconds switch
        {
            0 => JoinLinkPolicy.DefaultLifetime,
            var s when s < JoinLinkPolicy.MinLifetime.TotalSeconds || s > JoinLinkPolicy.MaxLifetime.TotalSeconds =>
                throw GrpcErrors.InvalidArgument("ttl_seconds", $"must be {JoinLinkPolicy.MinLifetime.TotalSeconds:0} to {JoinLinkPolicy.MaxLifetime.TotalSeconds:0} seconds (90 days), or 0 for the default of 7 days (got {s})."),
            var s => TimeSpan.FromSeconds(s),
        };
        if (request.MaxUses is < 0 or > JoinLinkPolicy.MaxUses)
            throw GrpcErrors.InvalidArgument("max_uses", $"must be 1 to {JoinLinkPolicy.MaxUses}, or 0 for unlimited until expiry (got {request.MaxUses}).");
        var inviteUrl = request.InviteUrl.Trim();
        if (inviteUrl.Length > 0)
        {
            RequestValidation.Length(inviteUrl, "invite_url", JoinLinkPolicy.MaxInviteUrlLength);
            if (!Uri.TryCreate(inviteUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0)
                throw GrpcErrors.InvalidArgument("invite_url", "must be an absolute https URL without user info, such as https://discord.gg/abc123 or a Slack app install link.");
        }

        var token = JoinLinkSecrets.NewToken(generator);
        var code = JoinLinkSecrets.CodeFor(token);
        var link = new JoinLinkEntity
        {
            Id = NewId(),
            TenantId = tenantId,
            ChannelId = channel.Id,
            CustomerId = customerId,
            Label = label,
            InviteUrl = inviteUrl,
            TokenHash = JoinLinkSecrets.Hash(token),
            CodeHash = JoinLinkSecrets.Hash(code),
            MaxUses = request.MaxUses,
            CreatedAt = Now,
            ExpiresAt = Now + lifetime,
        };
        db.JoinLinks.Add(link);
        await db.SaveChangesAsync(ct);
        OnboardingLog.LinkCreated(logger, link.Id, tenantId, channel.Id, caller.KeyId, link.ExpiresAt, link.MaxUses);
        var path = "/join/" + token;
        var url = options.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? baseUrl.TrimEnd('/') + path : path;
        return new CreateJoinLinkResponse { JoinLink = link.ToProto(Now), Url = url, Token = token, StartCode = code };
    }

    public override async Task<ListJoinLinksResponse> ListJoinLinks(ListJoinLinksRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var ct = context.CancellationToken;
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, ct);
        var size = Paging.Size(request.PageSize);
        var after = Paging.After(request.PageToken);
        var query = db.JoinLinks.Where(l => l.TenantId == tenantId);
        if (!string.IsNullOrWhiteSpace(request.ChannelId))
        {
            var channelId = RequestValidation.Id(request.ChannelId, "channel_id");
            query = query.Where(l => l.ChannelId == channelId);
        }

        var now = Now;
        if (!request.IncludeInactive)
            query = query.Where(l => l.RevokedAt == null && l.ExpiresAt > now && (l.MaxUses == 0 || l.UseCount < l.MaxUses));
        if (after is not null) query = query.Where(l => string.Compare(l.Id, after) > 0);
        var rows = await query.OrderBy(l => l.Id).Take(size + 1).ToListAsync(ct);
        var response = new ListJoinLinksResponse { NextPageToken = Paging.Next(rows, size, l => l.Id) };
        response.JoinLinks.AddRange(rows.Select(l => l.ToProto(now)));
        return response;
    }

    public override async Task<RevokeJoinLinkResponse> RevokeJoinLink(RevokeJoinLinkRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var id = RequestValidation.Id(request.JoinLinkId, "join_link_id");
        var link = await db.JoinLinks.AsTracking().FirstOrDefaultAsync(l => l.Id == id, context.CancellationToken);
        if (link is null || !caller.CanSee(link.TenantId)) throw GrpcErrors.NotFound("join link", id);
        if (link.RevokedAt is null)
        {
            link.RevokedAt = Now;
            await db.SaveChangesAsync(context.CancellationToken);
            OnboardingLog.LinkRevoked(logger, link.Id, link.TenantId, caller.KeyId);
        }

        return new RevokeJoinLinkResponse { JoinLink = link.ToProto(Now) };
    }
}
