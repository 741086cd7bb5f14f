using ClawScale.Kernel.Identity;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Dispatch;
using ClawScale.Plugins.Messages;
using ClawScale.Protos.V1;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Onboarding;

/// <summary>
/// The pipeline hook of onboarding, run by <see cref="Pipeline.Dispatch.KernelCommands"/> at DISPATCH for a message that is a
/// start code (<c>/start &lt;code&gt;</c>, which Telegram sends by itself when a user opens
/// <c>https://t.me/&lt;bot&gt;?start=&lt;code&gt;</c> (Bot API "Deep linking"), or exactly the code on any channel). A code
/// of this channel's join link that still works ties the sender's external identity to the link's customer (or a new
/// customer named after the link's label; a sender whose customer has no other identity keeps that customer, renamed),
/// uses one use and answers a welcome. Anything else (another channel's or tenant's code, an unknown, expired, revoked
/// or used-up link) is answered with what to do and ties nothing. The answer is the turn's reply, stored like
/// <c>/link</c>'s; the code never reaches the agent.
/// </summary>
/// <remarks>
/// Idempotent: a redemption row per (link, identity) is written in the same transaction as the use and the identity
/// change, so a turn run again after a crash, or the same sender opening the link twice, uses the link once and answers
/// the welcome again. Concurrent senders of a link with max_uses race on one conditional UPDATE; the losers are told
/// the link is used up. Platform redeliveries never get here twice (ACCEPT deduplicates them).
/// </remarks>
internal sealed class JoinCodeRedeemer(ClawScaleDbContext db, TimeProvider time, ILogger<JoinCodeRedeemer> logger)
{
    /// <summary>The answer to a code that worked.</summary>
    public const string WelcomeText = "Welcome! This chat is now connected to your account. Write your message and the assistant will answer.";

    /// <summary>The answer when this sender already redeemed this link.</summary>
    public const string AlreadyJoinedText = "This chat is already connected through this link. Write your message and the assistant will answer.";

    /// <summary>The answer to a code that no link of this channel has (unknown, or another channel's or tenant's).</summary>
    public const string UnknownText = "That start code is not valid for this chat. Open the link you were given again, or ask whoever sent it for a new one.";

    /// <summary>The answer to an expired link's code.</summary>
    public const string ExpiredText = "That join link has expired. Ask whoever sent it for a new one.";

    /// <summary>The answer to a revoked link's code.</summary>
    public const string RevokedText = "That join link was withdrawn and no longer works. Ask whoever sent it for a new one.";

    /// <summary>The answer when the link's uses are all taken.</summary>
    public const string UsedUpText = "That join link has been used as often as it allows. Ask whoever sent it for a new one.";

    /// <summary>The answer when the sender's identity is not stored (it is stored at ACCEPT, so this means it was deleted since).</summary>
    public const string NoIdentityText = "This chat's identity could not be found; nothing was connected. Send the code again.";

    /// <summary>Redeems <paramref name="code"/> for the sender of <paramref name="turn"/>; returns the answer to send.</summary>
    /// <param name="turn">The turn of the message carrying the code.</param>
    /// <param name="conversation">Its conversation (channel and tenant).</param>
    /// <param name="inbound">The inbound message (its sender), or null when its payload is gone.</param>
    /// <param name="code">The start code as sent.</param>
    /// <param name="ct">Cancels the work (nothing is half-applied: the changes are one transaction).</param>
    public async Task<string> RedeemAsync(TurnEntity turn, ConversationEntity conversation, InboundMessage? inbound, string code, CancellationToken ct)
    {
        var hash = JoinLinkSecrets.Hash(code);
        var link = await db.JoinLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CodeHash == hash, ct);
        // Another tenant's or channel's code answers exactly like an unknown one: nothing about it is revealed.
        if (link is null || link.TenantId != turn.TenantId || link.ChannelId != conversation.ChannelId)
            return Refuse(turn, conversation, "no join link of this channel has that code", UnknownText);

        var identity = await FindSenderIdentityAsync(turn.TenantId, inbound, ct);
        if (identity is null) return Refuse(turn, conversation, "the sender's external identity is not stored", NoIdentityText);
        if (await db.JoinLinkRedemptions.AnyAsync(r => r.JoinLinkId == link.Id && r.ExternalIdentityId == identity.Id, ct))
            return AlreadyJoinedText;

        var now = time.GetUtcNow().UtcDateTime;
        var refusal = Refusal(JoinLinkPolicy.StatusOf(link, now));
        if (refusal is not null) return Refuse(turn, conversation, $"join link {link.Id} is {JoinLinkPolicy.StatusOf(link, now)}", refusal);

        var strategy = db.Database.CreateExecutionStrategy();
        var (customerId, answer) = await strategy.ExecuteAsync(async c =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(c);
            // One use, only while the link still works: concurrent redemptions of the last use cannot both win.
            var taken = await db.JoinLinks
                .Where(l => l.Id == link.Id && l.RevokedAt == null && l.ExpiresAt > now && (l.MaxUses == 0 || l.UseCount < l.MaxUses))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.UseCount, l => l.UseCount + 1).SetProperty(l => l.LastUsedAt, now), c);
            if (taken == 0)
            {
                await transaction.RollbackAsync(c);
                var current = await db.JoinLinks.AsNoTracking().FirstAsync(l => l.Id == link.Id, c);
                return ((string?)null, Refusal(JoinLinkPolicy.StatusOf(current, now)) ?? UsedUpText);
            }

            var target = link.CustomerId ?? await CustomerForNewcomerAsync(link, identity, inbound, now, c);
            if (identity.CustomerId != target)
                await db.ExternalIdentities.Where(i => i.Id == identity.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CustomerId, target), c);
            db.JoinLinkRedemptions.Add(new JoinLinkRedemptionEntity
            {
                Id = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
                TenantId = turn.TenantId,
                JoinLinkId = link.Id,
                ExternalIdentityId = identity.Id,
                CustomerId = target,
                TurnId = turn.Id,
                CreatedAt = now,
            });
            await db.SaveChangesAsync(c);
            await transaction.CommitAsync(c);
            db.ChangeTracker.Clear();
            return (target, WelcomeText);
        }, ct);

        if (customerId is null) return Refuse(turn, conversation, $"join link {link.Id} stopped working while being redeemed", answer);
        OnboardingLog.Redeemed(logger, link.Id, conversation.ChannelId, turn.TenantId, identity.Id, customerId, turn.Id);
        return answer;
    }

    /// <summary>
    /// For a link without a customer: the sender's own customer when no other identity shares it (renamed after the
    /// link's label, if any), otherwise a new customer named after the label or the sender.
    /// </summary>
    private async Task<string> CustomerForNewcomerAsync(JoinLinkEntity link, ExternalIdentityEntity identity, InboundMessage? inbound, DateTime now, CancellationToken ct)
    {
        var shared = await db.ExternalIdentities.AnyAsync(i => i.CustomerId == identity.CustomerId && i.Id != identity.Id, ct);
        if (!shared)
        {
            if (link.Label.Length > 0)
            {
                await db.Customers.Where(x => x.Id == identity.CustomerId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.DisplayName, link.Label).SetProperty(x => x.UpdatedAt, now), ct);
            }

            return identity.CustomerId;
        }

        var customer = new CustomerEntity
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
            TenantId = link.TenantId,
            DisplayName = link.Label.Length > 0 ? link.Label : inbound?.Sender.DisplayName ?? string.Empty,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(ct);
        return customer.Id;
    }

    private async Task<ExternalIdentityEntity?> FindSenderIdentityAsync(string tenantId, InboundMessage? inbound, CancellationToken ct)
    {
        if (inbound is null) return null;
        var (provider, type, value) = IdentityNormalizer.Normalize(inbound.Sender.Provider, inbound.Sender.IdentityType, inbound.Sender.Value, "sender");
        return await db.ExternalIdentities.AsNoTracking().FirstOrDefaultAsync(
            i => i.TenantId == tenantId && i.Provider == provider && i.IdentityType == type && i.Value == value, ct);
    }

    private static string? Refusal(JoinLinkStatus status) => status switch
    {
        JoinLinkStatus.Active => null,
        JoinLinkStatus.Expired => ExpiredText,
        JoinLinkStatus.Revoked => RevokedText,
        _ => UsedUpText,
    };

    private string Refuse(TurnEntity turn, ConversationEntity conversation, string reason, string answer)
    {
        OnboardingLog.CodeRefused(logger, conversation.ChannelId, turn.TenantId, turn.Id, reason);
        return answer;
    }
}
