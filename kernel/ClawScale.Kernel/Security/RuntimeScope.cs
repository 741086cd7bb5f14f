using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Accept;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Security;

/// <summary>
/// What a runtime API key may reach within its tenant: the conversations answered by the agents it is bound to
/// (<see cref="Caller.AgentIds"/>), and the customers, delivery routes and deliveries of those conversations.
/// Platform-admin and tenant-admin keys are not narrowed (their tenant check is <see cref="CallerAccess"/>'s).
/// </summary>
/// <remarks>
/// <para>
/// "Answered by" is the routing rule of the ACCEPT stage (<see cref="Pipeline.Accept.AcceptBatchWriter"/>): the agent of the
/// most specific agent binding for (customer, channel) — (customer, channel), then customer, then channel, then the
/// tenant default; the oldest binding on a tie. It is evaluated now, not from the history of turns: when an admin
/// rebinds a customer or channel to another agent, its conversations move to that agent's runtime key.
/// </para>
/// <list type="bullet">
/// <item><description>A conversation is in scope when its (customer, channel) is answered by one of the key's agents.</description></item>
/// <item><description>A customer, when at least one of its conversations is.</description></item>
/// <item><description>A delivery route, when its own (customer, channel) is answered by one of the key's agents, or a
/// conversation in scope uses the same (channel, chat, thread) — so the route of every conversation in scope is,
/// and a route bound by address to a chat nobody has written from yet follows the channel's (or tenant default) binding.</description></item>
/// <item><description>A delivery, when its conversation is in scope (replies and Deliver by conversation), or — for
/// deliveries made to a route or conversation key — when its route is.</description></item>
/// </list>
/// <para>
/// A resource of the key's tenant outside its scope answers PERMISSION_DENIED (<see cref="OutOfScope"/>, the <c>Ensure…Async</c> checks); another
/// tenant's answers NOT_FOUND as for every tenant-scoped key; lists leave out-of-scope rows out. All checks are one
/// SQL query each (correlated sub-queries over <c>agent_bindings</c>), on SQLite and PostgreSQL alike.
/// </para>
/// </remarks>
internal static class RuntimeScope
{
    /// <summary>Whether the caller is narrowed to its agents' conversations (runtime keys).</summary>
    public static bool IsAgentScoped(this Caller caller) => caller.Scope == ApiKeyScopeValue.Runtime;

    /// <summary>
    /// The PERMISSION_DENIED a runtime key gets for a resource of its tenant that none of its agents answers. The
    /// message names what the request named, never who answers it.
    /// </summary>
    /// <param name="subject">What was asked for, as the request named it, for example <c>conversation '0197…'</c>.</param>
    public static RpcException OutOfScope(string subject) => GrpcErrors.PermissionDenied(
        $"{subject} is not routed to an agent of this runtime key. A runtime key reaches only the conversations answered by its agents " +
        "(and their customers, routes and deliveries); bind the agent with AdminService.CreateAgentBinding, or use a tenant-admin key.");

    /// <summary>PERMISSION_DENIED (<see cref="OutOfScope"/>) unless the caller may reach conversation <paramref name="conversationId"/> (of its tenant).</summary>
    public static async Task EnsureConversationAsync(ClawScaleDbContext db, Caller caller, string conversationId, CancellationToken ct)
    {
        if (caller.IsAgentScoped() && !await db.Conversations.Where(c => c.Id == conversationId).InScopeOf(db, caller).AnyAsync(ct))
            throw OutOfScope($"conversation '{conversationId}'");
    }

    /// <summary>PERMISSION_DENIED naming <paramref name="subject"/> unless the caller may reach delivery route <paramref name="routeId"/> (of its tenant).</summary>
    public static async Task EnsureRouteAsync(ClawScaleDbContext db, Caller caller, string routeId, string subject, CancellationToken ct)
    {
        if (caller.IsAgentScoped() && !await db.DeliveryRoutes.Where(r => r.Id == routeId).InScopeOf(db, caller).AnyAsync(ct))
            throw OutOfScope(subject);
    }

    /// <summary>PERMISSION_DENIED unless the caller may reach delivery <paramref name="deliveryId"/> (of its tenant).</summary>
    public static async Task EnsureDeliveryAsync(ClawScaleDbContext db, Caller caller, string deliveryId, CancellationToken ct)
    {
        if (caller.IsAgentScoped() && !await db.OutboundDeliveries.Where(d => d.Id == deliveryId).InScopeOf(db, caller).AnyAsync(ct))
            throw OutOfScope($"delivery '{deliveryId}'");
    }

    /// <summary>PERMISSION_DENIED unless the caller may reach customer <paramref name="customerId"/> (of its tenant).</summary>
    public static async Task EnsureCustomerAsync(ClawScaleDbContext db, Caller caller, string customerId, CancellationToken ct)
    {
        if (caller.IsAgentScoped() && !await db.Customers.Where(u => u.Id == customerId).InScopeOf(db, caller).AnyAsync(ct))
            throw OutOfScope($"customer '{customerId}'");
    }

    /// <summary>The conversations the caller may reach: all of them for admin keys, those answered by its agents for runtime keys.</summary>
    public static IQueryable<ConversationEntity> InScopeOf(this IQueryable<ConversationEntity> conversations, ClawScaleDbContext db, Caller caller) =>
        caller.IsAgentScoped() ? conversations.AnsweredBy(db, [.. caller.AgentIds]) : conversations;

    /// <summary>The delivery routes the caller may reach (see the class remarks).</summary>
    public static IQueryable<DeliveryRouteEntity> InScopeOf(this IQueryable<DeliveryRouteEntity> routes, ClawScaleDbContext db, Caller caller) =>
        caller.IsAgentScoped() ? routes.AnsweredBy(db, [.. caller.AgentIds]) : routes;

    /// <summary>The deliveries the caller may reach (see the class remarks).</summary>
    public static IQueryable<OutboundDeliveryEntity> InScopeOf(this IQueryable<OutboundDeliveryEntity> deliveries, ClawScaleDbContext db, Caller caller)
    {
        if (!caller.IsAgentScoped()) return deliveries;
        string[] agents = [.. caller.AgentIds];
        var conversations = db.Conversations.AnsweredBy(db, agents);
        var routes = db.DeliveryRoutes.AnsweredBy(db, agents);
        return deliveries.Where(d =>
            (d.ConversationId != null && conversations.Any(c => c.Id == d.ConversationId)) ||
            (d.ConversationId == null && routes.Any(r => r.Id == d.DeliveryRouteId)));
    }

    /// <summary>The customers the caller may reach: for runtime keys, those with a conversation in scope.</summary>
    public static IQueryable<CustomerEntity> InScopeOf(this IQueryable<CustomerEntity> customers, ClawScaleDbContext db, Caller caller)
    {
        if (!caller.IsAgentScoped()) return customers;
        var conversations = db.Conversations.AnsweredBy(db, [.. caller.AgentIds]);
        return customers.Where(u => conversations.Any(c => c.CustomerId == u.Id));
    }

    /// <summary>
    /// The agent that answers <paramref name="customerId"/> on <paramref name="channelId"/> now, or null when no binding
    /// applies. <paramref name="customerId"/> null: a sender who is not a customer yet (only channel and tenant-default
    /// bindings apply).
    /// </summary>
    public static Task<string?> AnsweringAgentAsync(ClawScaleDbContext db, string tenantId, string channelId, string? customerId, CancellationToken ct) =>
        db.AgentBindings.AsNoTracking()
            .Where(b => b.TenantId == tenantId && (b.CustomerId == null || b.CustomerId == customerId) && (b.ChannelId == null || b.ChannelId == channelId))
            .OrderByDescending(b => (b.CustomerId == null ? 0 : 2) + (b.ChannelId == null ? 0 : 1))
            .ThenBy(b => b.CreatedAt)
            .ThenBy(b => b.Id)
            .Select(b => b.AgentId)
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// Whether a delivery route that does not exist yet — (<paramref name="channelId"/>, <paramref name="chatId"/>,
    /// <paramref name="threadId"/>) for <paramref name="customerId"/> — would be in the caller's scope (BindDeliveryRoute
    /// by address). Always true for admin keys.
    /// </summary>
    public static async Task<bool> AddressInScopeAsync(
        ClawScaleDbContext db, Caller caller, string tenantId, string channelId, string chatId, string threadId, string? customerId, CancellationToken ct)
    {
        if (!caller.IsAgentScoped()) return true;
        var agent = await AnsweringAgentAsync(db, tenantId, channelId, customerId, ct);
        if (agent is not null && caller.AgentIds.Contains(agent, StringComparer.Ordinal)) return true;
        return await db.Conversations.AsNoTracking().Where(c => c.TenantId == tenantId && c.ChannelId == channelId && c.ExternalChatId == chatId && c.ExternalThreadId == threadId)
            .InScopeOf(db, caller).AnyAsync(ct);
    }

    // The two sub-queries below repeat the precedence of AnsweringAgentAsync (and of AcceptBatchWriter.ResolveAgent)
    // inline: EF Core translates a correlated sub-query written in the lambda, not one returned by a helper method.
    private static IQueryable<ConversationEntity> AnsweredBy(this IQueryable<ConversationEntity> conversations, ClawScaleDbContext db, string[] agents) =>
        conversations.Where(c => agents.Contains(db.AgentBindings
            .Where(b => b.TenantId == c.TenantId && (b.CustomerId == null || b.CustomerId == c.CustomerId) && (b.ChannelId == null || b.ChannelId == c.ChannelId))
            .OrderByDescending(b => (b.CustomerId == null ? 0 : 2) + (b.ChannelId == null ? 0 : 1))
            .ThenBy(b => b.CreatedAt)
            .ThenBy(b => b.Id)
            .Select(b => b.AgentId)
            .FirstOrDefault()!));

    private static IQueryable<DeliveryRouteEntity> AnsweredBy(this IQueryable<DeliveryRouteEntity> routes, ClawScaleDbContext db, string[] agents)
    {
        var conversations = db.Conversations.AnsweredBy(db, agents);
        return routes.Where(r =>
            agents.Contains(db.AgentBindings
                .Where(b => b.TenantId == r.TenantId && (b.CustomerId == null || b.CustomerId == r.CustomerId) && (b.ChannelId == null || b.ChannelId == r.ChannelId))
                .OrderByDescending(b => (b.CustomerId == null ? 0 : 2) + (b.ChannelId == null ? 0 : 1))
                .ThenBy(b => b.CreatedAt)
                .ThenBy(b => b.Id)
                .Select(b => b.AgentId)
                .FirstOrDefault()!) ||
            conversations.Any(c => c.TenantId == r.TenantId && c.ChannelId == r.ChannelId && c.ExternalChatId == r.ExternalChatId && c.ExternalThreadId == r.ExternalThreadId));
    }
}
