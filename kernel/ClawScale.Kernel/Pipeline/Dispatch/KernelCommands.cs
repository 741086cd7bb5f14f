using System.Security.Cryptography;
using System.Text;
using ClawScale.Kernel.Identity;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>
/// Commands the kernel answers before any agent: <c>/help</c>, <c>/new</c> (fresh conversation memory), <c>/link</c>
/// (issue a 6-digit code valid 10 minutes, or redeem one to join this chat identity to the code's Customer),
/// <c>/unlink</c> (give this chat identity its own Customer again) and join-link start codes (<c>/start join-…</c> or a
/// message that is exactly <c>join-…</c>, see <see cref="Onboarding.JoinCodeRedeemer"/>). <c>/cmd@botname</c> forms are
/// recognised. Other commands (for example Telegram's <c>/start</c> without a start code) go to the agent.
/// </summary>
internal sealed class KernelCommands(ClawScaleDbContext db, ISecretGenerator secrets, TimeProvider time, Onboarding.JoinCodeRedeemer joins)
{
    public static readonly TimeSpan LinkCodeLifetime = TimeSpan.FromMinutes(10);

    public const string HelpText =
        "Commands:\n" +
        "/help - this list\n" +
        "/new - start a fresh conversation (the assistant forgets earlier messages)\n" +
        "/link - link this chat to your account on another channel (send /link here, then /link CODE there)\n" +
        "/unlink - detach this chat from a linked account";

    /// <summary>The command's answer, or null when the text is not a kernel command.</summary>
    public async Task<string?> TryHandleAsync(TurnEntity turn, ConversationEntity conversation, MessageEntity message, InboundMessage? inbound, CancellationToken ct)
    {
        var text = message.Text.Trim();
        if (Onboarding.JoinLinkSecrets.LooksLikeCode(text)) return await joins.RedeemAsync(turn, conversation, inbound, text, ct);
        if (!text.StartsWith('/')) return null;
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var command = parts[0].Split('@', 2)[0].ToLowerInvariant();
        var argument = parts.Length > 1 ? parts[1] : string.Empty;
        switch (command)
        {
            case "/help":
                return HelpText;
            case "/new":
                await db.Conversations.Where(c => c.Id == conversation.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.MemoryResetAt, message.CreatedAt), ct);
                return "Started a new conversation: earlier messages are forgotten.";
            case "/link":
                return argument.Length == 0
                    ? await IssueLinkCodeAsync(turn, conversation, ct)
                    : await RedeemLinkCodeAsync(turn, conversation, inbound, argument, ct);
            case "/unlink":
                return await UnlinkAsync(turn, conversation, inbound, ct);
            case "/start" when Onboarding.JoinLinkSecrets.LooksLikeCode(argument):
                return await joins.RedeemAsync(turn, conversation, inbound, argument, ct);
            default:
                return null;
        }
    }

    private async Task<string> IssueLinkCodeAsync(TurnEntity turn, ConversationEntity conversation, CancellationToken ct)
    {
        var code = secrets.NewDigits(6);
        var now = time.GetUtcNow().UtcDateTime;
        await db.LinkCodes.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
        db.LinkCodes.Add(new LinkCodeEntity { CodeHash = Hash(turn.TenantId, code), TenantId = turn.TenantId, CustomerId = conversation.CustomerId, ExpiresAt = now + LinkCodeLifetime });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return $"Your link code is {code}. Within {LinkCodeLifetime.TotalMinutes:0} minutes, send \"/link {code}\" from the other chat you want to join to this account.";
    }

    private async Task<string> RedeemLinkCodeAsync(TurnEntity turn, ConversationEntity conversation, InboundMessage? inbound, string code, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(turn.TenantId, code.Trim());
        var link = await db.LinkCodes.FirstOrDefaultAsync(c => c.CodeHash == hash && c.TenantId == turn.TenantId && c.ExpiresAt >= now, ct);
        if (link is null) return "That link code is unknown or expired. Send /link in your other chat to get a new one.";
        if (link.CustomerId == conversation.CustomerId) return "This chat already belongs to that account.";
        var identity = await FindSenderIdentityAsync(turn.TenantId, conversation.CustomerId, inbound, ct);
        if (identity is null) return "This chat's identity could not be found; nothing was linked.";
        await db.ExternalIdentities.Where(i => i.Id == identity.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CustomerId, link.CustomerId), ct);
        await db.LinkCodes.Where(c => c.CodeHash == hash).ExecuteDeleteAsync(ct);
        return "Linked: this chat now shares your account with the other chat. New messages here continue with that account.";
    }

    private async Task<string> UnlinkAsync(TurnEntity turn, ConversationEntity conversation, InboundMessage? inbound, CancellationToken ct)
    {
        var identities = await db.ExternalIdentities.CountAsync(i => i.CustomerId == conversation.CustomerId, ct);
        if (identities <= 1) return "This chat is not linked to another account.";
        var identity = await FindSenderIdentityAsync(turn.TenantId, conversation.CustomerId, inbound, ct);
        if (identity is null) return "This chat's identity could not be found; nothing was unlinked.";
        var now = time.GetUtcNow().UtcDateTime;
        var customer = new CustomerEntity { Id = Guid.CreateVersion7(time.GetUtcNow()).ToString(), TenantId = turn.TenantId, DisplayName = inbound?.Sender.DisplayName ?? string.Empty, CreatedAt = now, UpdatedAt = now };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await db.ExternalIdentities.Where(i => i.Id == identity.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CustomerId, customer.Id), ct);
        return "Unlinked: this chat now has its own account again.";
    }

    private async Task<ExternalIdentityEntity?> FindSenderIdentityAsync(string tenantId, string customerId, InboundMessage? inbound, CancellationToken ct)
    {
        if (inbound is null) return null;
        var (provider, type, value) = IdentityNormalizer.Normalize(inbound.Sender.Provider, inbound.Sender.IdentityType, inbound.Sender.Value, "sender");
        return await db.ExternalIdentities.FirstOrDefaultAsync(
            i => i.TenantId == tenantId && i.CustomerId == customerId && i.Provider == provider && i.IdentityType == type && i.Value == value, ct);
    }

    private static string Hash(string tenantId, string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}:{code}"))).ToLowerInvariant();
}
