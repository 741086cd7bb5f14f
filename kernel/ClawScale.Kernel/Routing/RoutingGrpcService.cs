using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Identity;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Accept;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Logging;
using ClawScale.Plugins.Messages;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Routing;

/// <summary>
/// <c>clawscale.v1.RoutingService</c> (routing.proto): injects inbound messages through the ACCEPT stage, reads
/// conversations and messages, and binds runtimes' conversation keys to delivery routes. Every key of a tenant
/// (platform-admin, tenant-admin, runtime) may call it; another tenant's resources answer NOT_FOUND. A runtime key is
/// narrowed to the conversations answered by its agents (<see cref="RuntimeScope"/>): it may route inbound messages
/// only from senders its agents answer on that channel, and reads, lists and binds only their conversations and routes;
/// anything else of its tenant answers PERMISSION_DENIED (lists leave it out).
/// </summary>
internal sealed partial class RoutingGrpcService(
    ClawScaleDbContext db,
    IInboundAcceptor acceptor,
    IChannelRegistry channels,
    Microsoft.Extensions.Options.IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<RoutingGrpcService> logger) : RoutingService.RoutingServiceBase
{
    /// <summary>Prefix of the key a rebound route keeps (a tombstone); user keys cannot start with it.</summary>
    internal const string MovedKeyPrefix = "~moved:";

    private const int MaxKeyLength = 200;

    /// <summary>
    /// Accepts a message as if <c>channel_id</c> had received it: dedup on (channel, provider_message_id), customer
    /// provisioning, conversation, turn. A repeat answers the first result with duplicate = true. INVALID_ARGUMENT for
    /// a missing field or a text longer than <see cref="PipelineOptions.MaxInboundTextLength"/> (nothing stored),
    /// NOT_FOUND for a channel not of the tenant, FAILED_PRECONDITION for an archived channel,
    /// RESOURCE_EXHAUSTED when the sender is over the per-sender inbound limit. Runtime keys: PERMISSION_DENIED unless the
    /// sender (its customer, or a sender not yet known) is answered on the channel by one of the key's agents — the
    /// turn the call creates goes to that agent — and for a repeat of a message outside the key's scope.
    /// </summary>
    public override async Task<RouteInboundResponse> RouteInbound(RouteInboundRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var tenantId = caller.ResolveTenant(request.TenantId);
        var ct = context.CancellationToken;
        var channelId = RequestValidation.Id(request.ChannelId, "channel_id");
        var chatId = RequestValidation.Required(request.ExternalChatId, "external_chat_id", 256);
        var threadId = RequestValidation.Length(request.ExternalThreadId.Trim(), "external_thread_id", 256);
        var providerMessageId = RequestValidation.Required(request.ProviderMessageId, "provider_message_id", 256);
        if (request.Sender is null) throw GrpcErrors.InvalidArgument("sender", "is required: the external identity of who sent the message.");
        var (provider, identityType, value) = IdentityNormalizer.Normalize(request.Sender.Provider, request.Sender.IdentityType, request.Sender.Value, "sender");
        var displayName = RequestValidation.Length(request.SenderDisplayName.Trim(), "sender_display_name", 200);
        var attachments = AttachmentValidation.Read(request.Attachments, "attachments");
        if (request.Text.Length == 0 && attachments.Count == 0) throw GrpcErrors.InvalidArgument("text", "text or attachments are required.");
        var maxText = options.Value.MaxInboundTextLength;
        if (request.Text.Length > maxText)
            throw GrpcErrors.InvalidArgument("text", $"has {request.Text.Length} characters; at most {maxText} are accepted (ClawScale:Pipeline:MaxInboundTextLength, in UTF-16 code units). Split the message, or send the content as an attachment.");

        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId && c.TenantId == tenantId, ct)
            ?? throw GrpcErrors.NotFound("channel", channelId);
        if (caller.IsAgentScoped())
        {
            var customerId = await db.ExternalIdentities.AsNoTracking()
                .Where(i => i.TenantId == tenantId && i.Provider == provider && i.IdentityType == identityType && i.Value == value)
                .Select(i => i.CustomerId).FirstOrDefaultAsync(ct);
            var agent = await RuntimeScope.AnsweringAgentAsync(db, tenantId, channelId, customerId, ct);
            if (agent is null || !caller.AgentIds.Contains(agent, StringComparer.Ordinal))
                throw RuntimeScope.OutOfScope($"sender {provider}/{identityType}/'{value}' on channel '{channelId}'");
        }

        if (channel.Status == ChannelStatusValue.Archived)
            throw GrpcErrors.FailedPrecondition($"Channel '{channelId}' is archived; set its status to connected (AdminService.UpdateChannel) before routing messages to it.");

        var first = await FindAcceptedAsync(channelId, providerMessageId, ct);
        if (first is not null)
        {
            // A repeat answers the first message's ids: only when that message is the key's to see.
            if (caller.IsAgentScoped() && first.ConversationId.Length > 0)
                await RuntimeScope.EnsureConversationAsync(db, caller, first.ConversationId, ct);
            return first;
        }

        var lookup = await channels.GetAsync(channelId, ct);
        var handle = lookup.Handle ?? new ChannelHandle(channel.Id, channel.TenantId, channel.Kind, DetachedChannelAdapter.Instance, "kernel");
        var message = new InboundMessage
        {
            ProviderMessageId = providerMessageId,
            ExternalChatId = chatId,
            ExternalThreadId = threadId.Length == 0 ? null : threadId,
            Sender = new ExternalUser { Provider = provider, IdentityType = identityType, Value = value, DisplayName = displayName.Length == 0 ? null : displayName },
            Text = request.Text.Length == 0 ? null : request.Text,
            Attachments = attachments,
            SentAt = time.GetUtcNow(),
            // Not a platform message: replies do not quote it.
            PlatformMessageId = string.Empty,
        };
        AcceptResult result;
        try
        {
            result = await acceptor.AcceptAsync(handle, [message], ct);
        }
        catch (PipelineOverloadedException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message + " Nothing was stored; retry with backoff (the call is deduplicated)."));
        }

        if (result.Accepted == 0 && result.Duplicates == 0)
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"sender: '{value}' is over the per-sender inbound limit of this kernel; retry in a minute."));

        var accepted = await FindAcceptedAsync(channelId, providerMessageId, ct)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, "The message was accepted but could not be read back; retry the call (it is deduplicated)."));
        accepted.Duplicate = result.Accepted == 0;
        LogRouted(logger, channelId, providerMessageId, accepted.Duplicate);
        return accepted;
    }

    private async Task<RouteInboundResponse?> FindAcceptedAsync(string channelId, string providerMessageId, CancellationToken ct)
    {
        var found = await (
                from e in db.InboundEvents.AsNoTracking()
                where e.ChannelId == channelId && e.ProviderMessageId == providerMessageId
                // ACCEPT stores the conversation with the event's turn (events of older kernels carry it themselves).
                join t in db.Turns on e.TurnId equals t.Id into ts
                from t in ts.DefaultIfEmpty()
                let conversationId = e.ConversationId ?? (t == null ? null : t.ConversationId)
                join c in db.Conversations on conversationId equals c.Id into cs
                from c in cs.DefaultIfEmpty()
                select new { e.Id, ConversationId = conversationId, e.TurnId, CustomerId = c == null ? null : c.CustomerId })
            .FirstOrDefaultAsync(ct);
        return found is null
            ? null
            : new RouteInboundResponse
            {
                InboundEventId = found.Id,
                ConversationId = found.ConversationId ?? string.Empty,
                TurnId = found.TurnId ?? string.Empty,
                CustomerId = found.CustomerId ?? string.Empty,
                Duplicate = true,
            };
    }

    /// <summary>
    /// A conversation by id; NOT_FOUND when missing or another tenant's; PERMISSION_DENIED for a runtime key whose
    /// agents do not answer it.
    /// </summary>
    public override async Task<GetConversationResponse> GetConversation(GetConversationRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var id = RequestValidation.Id(request.ConversationId, "conversation_id");
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, context.CancellationToken);
        if (conversation is null || !caller.CanSee(conversation.TenantId)) throw GrpcErrors.NotFound("conversation", id);
        await RuntimeScope.EnsureConversationAsync(db, caller, id, context.CancellationToken);
        return new GetConversationResponse { Conversation = conversation.ToProto() };
    }

    /// <summary>
    /// A tenant's conversations, newest first, optionally of one customer and/or channel; keyset-paged by id. Runtime
    /// keys see only the conversations answered by their agents.
    /// </summary>
    public override async Task<ListConversationsResponse> ListConversations(ListConversationsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var tenantId = await ResolveExistingTenantAsync(caller, request.TenantId, context.CancellationToken);
        var size = Paging.Size(request.PageSize);
        var before = Paging.After(request.PageToken);
        var query = db.Conversations.AsNoTracking().Where(c => c.TenantId == tenantId).InScopeOf(db, caller);
        if (request.CustomerId.Length > 0) query = query.Where(c => c.CustomerId == request.CustomerId);
        if (request.ChannelId.Length > 0) query = query.Where(c => c.ChannelId == request.ChannelId);
        if (before is not null) query = query.Where(c => string.Compare(c.Id, before) < 0);
        var rows = await query.OrderByDescending(c => c.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListConversationsResponse { NextPageToken = Paging.Next(rows, size, c => c.Id) };
        response.Conversations.AddRange(rows.Select(c => c.ToProto()));
        return response;
    }

    /// <summary>
    /// Messages of a conversation, oldest first; keyset-paged by id (UUIDv7, ascending). NOT_FOUND and PERMISSION_DENIED
    /// as for <see cref="GetConversation"/>.
    /// </summary>
    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var ct = context.CancellationToken;
        var id = RequestValidation.Id(request.ConversationId, "conversation_id");
        var tenantId = await db.Conversations.Where(c => c.Id == id).Select(c => c.TenantId).FirstOrDefaultAsync(ct);
        if (tenantId is null || !caller.CanSee(tenantId)) throw GrpcErrors.NotFound("conversation", id);
        await RuntimeScope.EnsureConversationAsync(db, caller, id, ct);
        var size = Paging.Size(request.PageSize);
        var after = Paging.After(request.PageToken);
        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == id);
        if (after is not null) query = query.Where(m => string.Compare(m.Id, after) > 0);
        var rows = await query.OrderBy(m => m.Id).Take(size + 1).ToListAsync(ct);
        var response = new ListMessagesResponse { NextPageToken = Paging.Next(rows, size, m => m.Id) };
        response.Messages.AddRange(rows.Select(m => m.ToProto()));
        return response;
    }

    /// <summary>
    /// Binds <c>conversation_key</c> to an exact route: a copy of an existing route of the tenant, or an address on a
    /// channel of the tenant. Rebinding a key moves it to a new route row; the old row keeps a tombstone key so that
    /// deliveries already made to it are retried where they were first sent (never re-routed). Runtime keys:
    /// PERMISSION_DENIED for a source route or address its agents do not answer, and for a key already bound to such a
    /// route (a runtime cannot take over another agent's conversation key).
    /// </summary>
    public override async Task<BindDeliveryRouteResponse> BindDeliveryRoute(BindDeliveryRouteRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var tenantId = caller.ResolveTenant(request.TenantId);
        var ct = context.CancellationToken;
        var key = ValidKey(request.ConversationKey);

        string channelId, chatId, threadId;
        string? customerId = null;
        switch (request.TargetCase)
        {
            case BindDeliveryRouteRequest.TargetOneofCase.DeliveryRouteId:
                var routeId = RequestValidation.Id(request.DeliveryRouteId, "delivery_route_id");
                var source = await db.DeliveryRoutes.AsNoTracking().FirstOrDefaultAsync(r => r.Id == routeId && r.TenantId == tenantId, ct)
                    ?? throw GrpcErrors.NotFound("delivery route", routeId);
                await RuntimeScope.EnsureRouteAsync(db, caller, routeId, $"delivery route '{routeId}'", ct);
                (channelId, chatId, threadId, customerId) = (source.ChannelId, source.ExternalChatId, source.ExternalThreadId, source.CustomerId);
                break;
            case BindDeliveryRouteRequest.TargetOneofCase.Address:
                channelId = RequestValidation.Id(request.Address.ChannelId, "address.channel_id");
                chatId = RequestValidation.Required(request.Address.ExternalChatId, "address.external_chat_id", 256);
                threadId = RequestValidation.Length(request.Address.ExternalThreadId.Trim(), "address.external_thread_id", 256);
                var channelOk = await db.Channels.AnyAsync(c => c.Id == channelId && c.TenantId == tenantId, ct);
                if (!channelOk) throw GrpcErrors.NotFound("channel", channelId);
                var (cid, ch, th) = (channelId, chatId, threadId);
                customerId = await db.DeliveryRoutes.Where(r => r.ChannelId == cid && r.ExternalChatId == ch && r.ExternalThreadId == th && r.ConversationKey == null)
                    .Select(r => r.CustomerId).FirstOrDefaultAsync(ct);
                if (!await RuntimeScope.AddressInScopeAsync(db, caller, tenantId, channelId, chatId, threadId, customerId, ct))
                    throw RuntimeScope.OutOfScope($"address (chat '{chatId}' on channel '{channelId}')");
                break;
            default:
                throw GrpcErrors.InvalidArgument("target", "is required: delivery_route_id or address.");
        }

        var current = await db.DeliveryRoutes.FirstOrDefaultAsync(r => r.TenantId == tenantId && r.ConversationKey == key, ct);
        if (current is not null) await RuntimeScope.EnsureRouteAsync(db, caller, current.Id, $"conversation_key '{key}'", ct);
        if (current is not null && current.ChannelId == channelId && current.ExternalChatId == chatId && current.ExternalThreadId == threadId)
            return new BindDeliveryRouteResponse { Route = current.ToProto() };

        var now = time.GetUtcNow().UtcDateTime;
        var route = new DeliveryRouteEntity
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
            TenantId = tenantId,
            ChannelId = channelId,
            ExternalChatId = chatId,
            ExternalThreadId = threadId,
            ConversationKey = key,
            CustomerId = customerId,
            CreatedAt = now,
        };
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async c =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(c);
                if (current is not null)
                {
                    var oldId = current.Id;
                    await db.DeliveryRoutes.Where(r => r.Id == oldId && r.ConversationKey == key)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConversationKey, MovedKeyPrefix + oldId), c);
                }

                db.DeliveryRoutes.Add(route);
                await db.SaveChangesAsync(c);
                await transaction.CommitAsync(c);
            }, ct);
        }
        catch (DbUpdateException)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"conversation_key '{key}' was bound concurrently by another call; retry."));
        }

        LogBound(logger, tenantId, route.Id, current is not null);
        return new BindDeliveryRouteResponse { Route = route.ToProto() };
    }

    /// <summary>
    /// A route of the tenant by id or by bound conversation key; NOT_FOUND otherwise; PERMISSION_DENIED for a runtime
    /// key whose agents do not answer it.
    /// </summary>
    public override async Task<GetDeliveryRouteResponse> GetDeliveryRoute(GetDeliveryRouteRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var tenantId = caller.ResolveTenant(request.TenantId);
        var ct = context.CancellationToken;
        DeliveryRouteEntity? route;
        switch (request.LookupCase)
        {
            case GetDeliveryRouteRequest.LookupOneofCase.DeliveryRouteId:
                var id = RequestValidation.Id(request.DeliveryRouteId, "delivery_route_id");
                route = await db.DeliveryRoutes.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.TenantId == tenantId, ct)
                    ?? throw GrpcErrors.NotFound("delivery route", id);
                await RuntimeScope.EnsureRouteAsync(db, caller, route.Id, $"delivery route '{id}'", ct);
                return new GetDeliveryRouteResponse { Route = route.ToProto() };
            case GetDeliveryRouteRequest.LookupOneofCase.ConversationKey:
                var key = ValidKey(request.ConversationKey);
                route = await db.DeliveryRoutes.AsNoTracking().FirstOrDefaultAsync(r => r.TenantId == tenantId && r.ConversationKey == key, ct)
                    ?? throw GrpcErrors.NotFound("conversation key", key);
                await RuntimeScope.EnsureRouteAsync(db, caller, route.Id, $"conversation_key '{key}'", ct);
                return new GetDeliveryRouteResponse { Route = route.ToProto() };
            default:
                throw GrpcErrors.InvalidArgument("lookup", "is required: delivery_route_id or conversation_key.");
        }
    }

    /// <summary>A conversation key: 1 to 200 characters, not starting with the reserved tombstone prefix.</summary>
    internal static string ValidKey(string? key, string field = "conversation_key")
    {
        var value = RequestValidation.Required(key, field, MaxKeyLength);
        return value.StartsWith(MovedKeyPrefix, StringComparison.Ordinal)
            ? throw GrpcErrors.InvalidArgument(field, $"must not start with '{MovedKeyPrefix}' (reserved for rebound routes).")
            : value;
    }

    private async Task<string> ResolveExistingTenantAsync(Caller caller, string requested, CancellationToken ct)
    {
        var tenantId = caller.ResolveTenant(requested);
        if (caller.IsPlatformAdmin && !await db.Tenants.AnyAsync(t => t.Id == tenantId, ct)) throw GrpcErrors.NotFound("tenant", tenantId);
        return tenantId;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "RouteInbound on channel {ChannelId}: message {ProviderMessageId} (duplicate: {Duplicate})")]
    private static partial void LogRouted(ILogger logger, string channelId, SafeLogString providerMessageId, bool duplicate);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Tenant {TenantId}: conversation key bound to route {RouteId} (rebound: {Rebound})")]
    private static partial void LogBound(ILogger logger, string tenantId, string routeId, bool rebound);
}
