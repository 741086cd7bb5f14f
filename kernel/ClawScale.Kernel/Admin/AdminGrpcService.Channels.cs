using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override async Task<CreateChannelResponse> CreateChannel(CreateChannelRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var kind = RequestValidation.Kind(request.Kind, "kind");
        var name = RequestValidation.Required(request.DisplayName, "display_name", 200);
        RequestValidation.Map(request.Config, "config");
        RequestValidation.Map(request.Credentials, "credentials");
        var ownership = request.Ownership == ChannelOwnership.Unspecified ? ChannelOwnership.Shared : request.Ownership;
        string? customerId = null;
        if (ownership == ChannelOwnership.Customer)
        {
            customerId = RequestValidation.Id(request.CustomerId, "customer_id");
            if (!await db.Customers.AnyAsync(c => c.Id == customerId && c.TenantId == tenantId, context.CancellationToken))
                throw GrpcErrors.NotFound("customer", customerId);
        }
        else if (!string.IsNullOrEmpty(request.CustomerId))
        {
            throw GrpcErrors.InvalidArgument("customer_id", "is only allowed with ownership CHANNEL_OWNERSHIP_CUSTOMER.");
        }

        var config = request.Config.Where(p => p.Value.Length > 0).ToDictionary(StringComparer.Ordinal);
        var credentials = request.Credentials.Where(p => p.Value.Length > 0).ToDictionary(StringComparer.Ordinal);
        ThrowIfInvalid(kinds.ValidateChannel(kind, config, credentials));
        var webhookSecret = string.IsNullOrEmpty(request.WebhookSecret)
            ? generator.NewToken(32)
            : RequestValidation.Length(request.WebhookSecret, "webhook_secret", 256);

        var channel = new ChannelEntity
        {
            Id = NewId(),
            TenantId = tenantId,
            Kind = kind,
            DisplayName = name,
            Ownership = (ChannelOwnershipValue)(int)ownership,
            CustomerId = customerId,
            Status = ChannelStatusValue.Pending,
            ConfigJson = ProtoMapping.WriteMap(config),
            CredentialsCiphertext = secrets.ProtectMap(credentials),
            CredentialKeys = ProtoMapping.JoinKeys(credentials.Keys),
            WebhookSecretCiphertext = secrets.Protect(webhookSecret),
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        db.Channels.Add(channel);
        await db.SaveChangesAsync(context.CancellationToken);
        await ConnectSoonAsync(channel, context.CancellationToken);
        return new CreateChannelResponse { Channel = channel.ToProto() };
    }

    public override async Task<GetChannelResponse> GetChannel(GetChannelRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var channel = await FindChannelAsync(caller, request.ChannelId, tracking: false, context.CancellationToken);
        return new GetChannelResponse { Channel = channel.ToProto() };
    }

    public override async Task<ListChannelsResponse> ListChannels(ListChannelsRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var size = Paging.Size(request.PageSize);
        var after = Paging.After(request.PageToken);
        var query = db.Channels.Where(c => c.TenantId == tenantId);
        if (!string.IsNullOrEmpty(request.Kind))
        {
            var kind = request.Kind.Trim().ToLowerInvariant();
            query = query.Where(c => c.Kind == kind);
        }
        if (after is not null) query = query.Where(c => string.Compare(c.Id, after) > 0);
        var rows = await query.OrderBy(c => c.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListChannelsResponse { NextPageToken = Paging.Next(rows, size, c => c.Id) };
        response.Channels.AddRange(rows.Select(c => c.ToProto()));
        return response;
    }

    public override async Task<UpdateChannelResponse> UpdateChannel(UpdateChannelRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var channel = await FindChannelAsync(caller, request.ChannelId, tracking: true, context.CancellationToken);
        RequestValidation.Map(request.Config, "config");
        RequestValidation.Map(request.Credentials, "credentials");
        if (request.HasDisplayName) channel.DisplayName = RequestValidation.Required(request.DisplayName, "display_name", 200);
        var configBefore = ProtoMapping.ReadMap(channel.ConfigJson);
        var config = ProtoMapping.Merge(new Dictionary<string, string>(configBefore, StringComparer.Ordinal), request.Config);
        var credentials = ProtoMapping.Merge(secrets.UnprotectMap(channel.CredentialsCiphertext), request.Credentials);
        if (request.Config.Count > 0 || request.Credentials.Count > 0)
        {
            ThrowIfInvalid(kinds.ValidateChannel(channel.Kind, config, credentials));
            ThrowIfRedirectingCredentials(caller, "channel", "UpdateChannel", channel.Id, channel.TenantId, kinds.ChannelEndpointKeys(channel.Kind),
                configBefore, config, credentials, request.Credentials);
        }

        channel.ConfigJson = ProtoMapping.WriteMap(config);
        channel.CredentialsCiphertext = secrets.ProtectMap(credentials);
        channel.CredentialKeys = ProtoMapping.JoinKeys(credentials.Keys);
        if (request.HasWebhookSecret)
            channel.WebhookSecretCiphertext = secrets.Protect(RequestValidation.Required(request.WebhookSecret, "webhook_secret", 256));
        switch (request.Status)
        {
            case ChannelStatus.Unspecified:
                break;
            case ChannelStatus.Connected or ChannelStatus.Disconnected or ChannelStatus.Archived:
                channel.Status = (ChannelStatusValue)(int)request.Status;
                if (request.Status != ChannelStatus.Connected) channel.LastError = string.Empty;
                break;
            default:
                throw GrpcErrors.InvalidArgument("status", "an admin may set only CHANNEL_STATUS_CONNECTED, CHANNEL_STATUS_DISCONNECTED or CHANNEL_STATUS_ARCHIVED.");
        }

        channel.UpdatedAt = Now;
        await db.SaveChangesAsync(context.CancellationToken);
        await channelRegistry.InvalidateAsync(channel.Id);
        await ConnectSoonAsync(channel, context.CancellationToken);
        return new UpdateChannelResponse { Channel = channel.ToProto() };
    }

    public override async Task<DeleteChannelResponse> DeleteChannel(DeleteChannelRequest request, ServerCallContext context)
    {
        var caller = context.RequireAdmin();
        var channel = await FindChannelAsync(caller, request.ChannelId, tracking: false, context.CancellationToken);
        await db.Channels.Where(c => c.Id == channel.Id).ExecuteDeleteAsync(context.CancellationToken);
        await channelRegistry.InvalidateAsync(channel.Id);
        return new DeleteChannelResponse();
    }

    private async Task<ChannelEntity> FindChannelAsync(Caller caller, string channelId, bool tracking, CancellationToken cancellationToken)
    {
        var id = RequestValidation.Id(channelId, "channel_id");
        var query = tracking ? db.Channels.AsTracking() : db.Channels;
        var channel = await query.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return channel is not null && caller.CanSee(channel.TenantId) ? channel : throw GrpcErrors.NotFound("channel", id);
    }

    /// <summary>
    /// Creates the channel's adapter now, which wakes the channel supervisor to connect it (for Telegram: getMe, then
    /// setWebhook or deleteWebhook) at once instead of at its next periodic scan. A failure to create the adapter is
    /// not the caller's error: the channel's status and the supervisor's log report it.
    /// </summary>
    private async Task ConnectSoonAsync(ChannelEntity channel, CancellationToken cancellationToken)
    {
        if (channel.Status is ChannelStatusValue.Archived or ChannelStatusValue.Disconnected) return;
        await channelRegistry.GetAsync(channel.Id, cancellationToken);
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join(" ", problems)));
    }
}
