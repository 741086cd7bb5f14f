using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Identity;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Plugins.Messages;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// <see cref="IInboundAcceptor"/> over the kernel database. All messages of a call are stored in one transaction with
/// race-free upserts (<c>INSERT … ON CONFLICT DO NOTHING</c>) so concurrent webhook retries and several kernel
/// instances never create duplicates; the platform is acknowledged only after the commit.
/// </summary>
internal sealed partial class InboundAcceptor(
    ClawScaleDbContext db,
    CustomerDirectory customers,
    SenderRateLimiter senders,
    IPipelineSignals signals,
    TimeProvider time,
    ILogger<InboundAcceptor> logger) : IInboundAcceptor
{
    public async Task<AcceptResult> AcceptAsync(ChannelHandle channel, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        int duplicates = 0, ignored = 0, limited = 0;
        var turns = new List<string>();
        if (messages.Count == 0) return new AcceptResult(0, 0, 0, turns, 0);

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            duplicates = 0;
            ignored = 0;
            limited = 0;
            turns.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var message in messages)
            {
                if (message.Sender.IsBot || !message.AddressedToBot)
                {
                    ignored++;
                    continue;
                }

                if (!senders.TryAcquire(channel.ChannelId, message.Sender.Value))
                {
                    // Logged by the limiter, once per episode rather than per message.
                    limited++;
                    ignored++;
                    continue;
                }

                var turnId = await AcceptOneAsync(channel, message, ct);
                if (turnId is null) duplicates++;
                else turns.Add(turnId);
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);

        if (turns.Count > 0) signals.TurnsAvailable();
        LogAccepted(logger, channel.ChannelId, turns.Count, duplicates, ignored);
        return new AcceptResult(turns.Count, duplicates, ignored, turns, limited);
    }

    private async Task<string?> AcceptOneAsync(ChannelHandle channel, InboundMessage message, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var eventId = NewId();
        var payload = AttachmentJson.WriteInbound(message);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO inbound_events (id, tenant_id, channel_id, provider_message_id, payload_json, received_at)
            VALUES ({eventId}, {channel.TenantId}, {channel.ChannelId}, {message.ProviderMessageId}, {payload}, {now})
            ON CONFLICT (channel_id, provider_message_id) DO NOTHING
            """, ct);
        if (inserted == 0) return null;

        string provider, identityType, value;
        try
        {
            (provider, identityType, value) = IdentityNormalizer.Normalize(message.Sender.Provider, message.Sender.IdentityType, message.Sender.Value, "sender");
        }
        catch (RpcException ex)
        {
            throw new InvalidOperationException($"The {channel.Kind} adapter produced an invalid sender: {ex.Status.Detail}", ex);
        }

        var displayName = message.Sender.DisplayName ?? message.Sender.Username ?? string.Empty;
        var resolved = await customers.ResolveAsync(channel.TenantId, provider, identityType, value, displayName.Length > 200 ? displayName[..200] : displayName, createIfMissing: true, ct);
        var customerId = resolved!.Value.Customer.Id;
        var thread = message.ExternalThreadId ?? string.Empty;

        var routeId = NewId();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO delivery_routes (id, tenant_id, channel_id, external_chat_id, external_thread_id, customer_id, created_at)
            VALUES ({routeId}, {channel.TenantId}, {channel.ChannelId}, {message.ExternalChatId}, {thread}, {customerId}, {now})
            ON CONFLICT (channel_id, external_chat_id, external_thread_id) WHERE conversation_key IS NULL DO NOTHING
            """, ct);
        routeId = await db.DeliveryRoutes
            .Where(r => r.ChannelId == channel.ChannelId && r.ExternalChatId == message.ExternalChatId && r.ExternalThreadId == thread && r.ConversationKey == null)
            .Select(r => r.Id).FirstAsync(ct);

        var conversationId = NewId();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO conversations (id, tenant_id, channel_id, customer_id, external_chat_id, external_thread_id, delivery_route_id, created_at, last_message_at)
            VALUES ({conversationId}, {channel.TenantId}, {channel.ChannelId}, {customerId}, {message.ExternalChatId}, {thread}, {routeId}, {now}, {now})
            ON CONFLICT (channel_id, external_chat_id, external_thread_id, customer_id) DO UPDATE SET last_message_at = excluded.last_message_at
            """, ct);
        conversationId = await db.Conversations
            .Where(c => c.ChannelId == channel.ChannelId && c.ExternalChatId == message.ExternalChatId && c.ExternalThreadId == thread && c.CustomerId == customerId)
            .Select(c => c.Id).FirstAsync(ct);

        var agentId = await ResolveAgentAsync(channel, customerId, ct);
        var messageId = NewId();
        var turnId = NewId();
        db.Messages.Add(new MessageEntity
        {
            Id = messageId,
            TenantId = channel.TenantId,
            ConversationId = conversationId,
            Role = MessageRoleValue.User,
            Text = message.Text ?? string.Empty,
            AttachmentsJson = AttachmentJson.Write(message.Attachments),
            ProviderMessageId = message.PlatformMessageId ?? message.ProviderMessageId,
            TurnId = turnId,
            CreatedAt = now,
        });
        db.Turns.Add(new TurnEntity
        {
            Id = turnId,
            TenantId = channel.TenantId,
            ConversationId = conversationId,
            AgentId = agentId,
            InboundEventId = eventId,
            MessageId = messageId,
            Status = TurnStatusValue.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await db.InboundEvents.Where(e => e.Id == eventId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConversationId, conversationId).SetProperty(e => e.TurnId, turnId), ct);
        return turnId;
    }

    /// <summary>The most specific binding: (customer, channel), customer, channel, tenant default.</summary>
    private async Task<string?> ResolveAgentAsync(ChannelHandle channel, string customerId, CancellationToken ct)
    {
        var bindings = await db.AgentBindings
            .Where(b => b.TenantId == channel.TenantId && (b.CustomerId == null || b.CustomerId == customerId) && (b.ChannelId == null || b.ChannelId == channel.ChannelId))
            .ToListAsync(ct);
        return bindings
            .OrderByDescending(b => (b.CustomerId is null ? 0 : 2) + (b.ChannelId is null ? 0 : 1))
            .ThenBy(b => b.CreatedAt)
            .Select(b => b.AgentId)
            .FirstOrDefault();
    }

    private string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString();

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Channel {ChannelId}: accepted {Accepted}, duplicates {Duplicates}, ignored {Ignored}")]
    private static partial void LogAccepted(ILogger logger, string channelId, int accepted, int duplicates, int ignored);
}
