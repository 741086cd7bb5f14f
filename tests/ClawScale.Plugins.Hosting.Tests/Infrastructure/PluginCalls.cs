using System.Runtime.CompilerServices;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Plugins.Hosting.Tests.Infrastructure;

/// <summary>
/// Calls into plugin code the way the kernel does. Not inlined and returning only host types, so that no reference to
/// plugin objects stays on a test's stack (which would keep an unloaded load context alive).
/// </summary>
public static class PluginCalls
{
    public static AgentContext AgentContext() => new()
    {
        AgentId = "agent-1",
        TenantId = "tenant-1",
        HttpClient = SharedHttpClient,
        Logger = NullLogger.Instance,
    };

    public static ChannelContext ChannelContext() => new()
    {
        ChannelId = "channel-1",
        TenantId = "tenant-1",
        WebhookSecret = "secret",
        HttpClient = SharedHttpClient,
        Logger = NullLogger.Instance,
    };

    private static readonly HttpClient SharedHttpClient = new();

    public static AgentTurn Turn(string text) => new()
    {
        TurnId = "turn-1",
        ConversationId = "conversation-1",
        CustomerId = "customer-1",
        ChannelKind = "test-loop",
        Message = new ConversationMessage(ConversationRole.User, text, [], DateTimeOffset.UnixEpoch),
    };

    /// <summary>Creates the agent of <paramref name="kind"/>, asks it once and disposes it; null when the kind is not served.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<string?> AskAgentAsync(IPluginCatalog catalog, string kind, string text)
    {
        if (!catalog.TryGetAgentFactory(kind, out var factory))
        {
            return null;
        }

        await using var backend = factory.Create(AgentContext());
        var replies = new List<string?>();
        await foreach (var reply in backend.RespondAsync(Turn(text), CancellationToken.None))
        {
            replies.Add(reply.Text);
        }

        return string.Join("|", replies);
    }

    /// <summary>Sends through a fresh adapter of <paramref name="kind"/> and returns the provider message id.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<string?> SendAsync(IPluginCatalog catalog, string kind, string text)
    {
        if (!catalog.TryGetChannelFactory(kind, out var factory))
        {
            return null;
        }

        await using var adapter = factory.Create(ChannelContext());
        var result = await adapter.SendAsync(
            new OutboundMessage { DeliveryId = "d-1", IdempotencyKey = "k-1", ExternalChatId = "chat-1", Text = text },
            CancellationToken.None);
        return result.ProviderMessageId;
    }
}
