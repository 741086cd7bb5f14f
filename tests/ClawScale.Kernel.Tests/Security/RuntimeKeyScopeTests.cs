using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Tests.Security;

/// <summary>
/// A runtime key reaches the conversations its agents answer — and their customers, routes and deliveries — and
/// nothing else of its tenant, through the real kernel on SQLite and PostgreSQL (the scope is SQL over agent_bindings).
/// The other side (every RPC denied on another agent's resources) is the runtime-key column of <see cref="TenantIsolationTests"/>.
/// </summary>
public abstract class RuntimeKeyScopeTests(KernelFixture fixture)
{
    private KernelHost Kernel => fixture.Host;

    [SkippableFact]
    public async Task A_runtime_key_works_on_its_agents_conversations_and_is_denied_the_others()
    {
        var k = Kernel;
        var (tenant, tenantKey) = await k.CreateTenantAsync();
        var admin = KernelHost.Auth(tenantKey);
        // Channel "mine" is bound to agent X; the tenant default (every other channel) is agent Y. Both are external, so
        // turns wait for a runtime and nothing is sent anywhere.
        var mine = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "mine" }, admin)).Channel;
        var other = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "other" }, admin)).Channel;
        var agentX = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "x", Kind = "external" }, admin)).Agent;
        var agentY = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "y", Kind = "external" }, admin)).Agent;
        await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agentY.Id }, admin);
        await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agentX.Id, ChannelId = mine.Id }, admin);
        var x = KernelHost.Auth((await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "rt-x", Scope = ApiKeyScope.Runtime, AgentIds = { agentX.Id } }, admin)).Secret);

        // RouteInbound: only senders the key's agents answer on that channel (a new sender on "mine" is X's).
        var ada = Sender("ada");
        var routed = await k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = mine.Id, ExternalChatId = "chat-ada", ProviderMessageId = "m1", Sender = ada, Text = "hi" }, x);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = other.Id, ExternalChatId = "chat-bob", ProviderMessageId = "m2", Sender = Sender("bob"), Text = "hi" }, x).ResponseAsync, "runtime key");
        var theirs = await k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = other.Id, ExternalChatId = "chat-bob", ProviderMessageId = "m2", Sender = Sender("bob"), Text = "hi" }, admin);
        Assert.True((await k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = mine.Id, ExternalChatId = "chat-ada", ProviderMessageId = "m1", Sender = ada, Text = "hi" }, x)).Duplicate);
        // Carol, bound to Y herself, is Y's on "mine" too (a customer binding beats a channel binding) …
        var carol = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Sender("carol") }, admin)).Customer;
        await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agentY.Id, CustomerId = carol.Id }, admin);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = mine.Id, ExternalChatId = "chat-carol", ProviderMessageId = "m-carol", Sender = Sender("carol"), Text = "hi" }, x).ResponseAsync);
        var carols = await k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = mine.Id, ExternalChatId = "chat-carol", ProviderMessageId = "m-carol", Sender = Sender("carol"), Text = "hi" }, admin);
        // … and a repeat of her message id from one of X's senders does not hand her conversation's ids out.
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = mine.Id, ExternalChatId = "chat-ada", ProviderMessageId = "m-carol", Sender = ada, Text = "hi" }, x).ResponseAsync);

        // Conversations and messages.
        Assert.Equal(mine.Id, (await k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = routed.ConversationId }, x)).Conversation.ChannelId);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = theirs.ConversationId }, x).ResponseAsync);
        Assert.Equal([routed.ConversationId], (await k.Routing.ListConversationsAsync(new ListConversationsRequest(), x)).Conversations.Select(c => c.Id));
        Assert.Equal(3, (await k.Routing.ListConversationsAsync(new ListConversationsRequest(), admin)).Conversations.Count);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = carols.ConversationId }, x).ResponseAsync);
        Assert.Empty((await k.Routing.ListConversationsAsync(new ListConversationsRequest { ChannelId = other.Id }, x)).Conversations);
        Assert.Equal("hi", Assert.Single((await k.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = routed.ConversationId }, x)).Messages).Text);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = theirs.ConversationId }, x).ResponseAsync);

        // Customers: those with a conversation in scope; a runtime key creates none.
        Assert.Equal(routed.CustomerId, (await k.Identity.GetCustomerAsync(new GetCustomerRequest { CustomerId = routed.CustomerId }, x)).Customer.Id);
        Assert.Equal(routed.CustomerId, (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = ada }, x)).Customer.Id);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Identity.GetCustomerAsync(new GetCustomerRequest { CustomerId = theirs.CustomerId }, x).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Sender("bob") }, x).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Sender("new") }, x).ResponseAsync, "cannot create customers");
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Sender("new"), CreateIfMissing = false }, x).ResponseAsync);
        await k.Identity.LinkExternalIdentityAsync(new LinkExternalIdentityRequest { CustomerId = routed.CustomerId, Identity = new ExternalIdentityKey { Provider = "email", IdentityType = "email", Value = "ada@example.com" } }, x);

        // Deliveries: sent to, read and listed only for the key's conversations and routes.
        var mineDelivery = (await k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "x-1", ConversationId = routed.ConversationId, Text = "hello" }, x)).Delivery;
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "x-2", ConversationId = theirs.ConversationId, Text = "hello" }, x).ResponseAsync);
        var theirConversation = (await k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = theirs.ConversationId }, admin)).Conversation;
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "x-3", DeliveryRouteId = theirConversation.DeliveryRouteId, Text = "hello" }, x).ResponseAsync);
        var theirDelivery = (await k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "y-1", ConversationId = theirs.ConversationId, Text = "hello" }, admin)).Delivery;
        Assert.Equal(mineDelivery.Id, (await k.Delivery.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = mineDelivery.Id }, x)).Delivery.Id);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Delivery.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = theirDelivery.Id }, x).ResponseAsync);
        Assert.Equal([mineDelivery.Id], (await k.Delivery.ListDeliveriesAsync(new ListDeliveriesRequest(), x)).Deliveries.Select(d => d.Id));

        // Routes and conversation keys: the key's own, an address on its channel; not another agent's key or chat.
        var myConversation = (await k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = routed.ConversationId }, x)).Conversation;
        await k.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { ConversationKey = "x-order", DeliveryRouteId = myConversation.DeliveryRouteId }, x);
        Assert.Equal("chat-ada", (await k.Routing.GetDeliveryRouteAsync(new GetDeliveryRouteRequest { ConversationKey = "x-order" }, x)).Route.ExternalChatId);
        var byKey = (await k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "x-4", ConversationKey = "x-order", Text = "shipped" }, x)).Delivery;
        await k.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { ConversationKey = "x-new", Address = new RouteAddress { ChannelId = mine.Id, ExternalChatId = "nobody-yet" } }, x);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { ConversationKey = "x-other", Address = new RouteAddress { ChannelId = other.Id, ExternalChatId = "nobody-yet" } }, x).ResponseAsync);
        await k.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { ConversationKey = "y-order", DeliveryRouteId = theirConversation.DeliveryRouteId }, admin);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.GetDeliveryRouteAsync(new GetDeliveryRouteRequest { ConversationKey = "y-order" }, x).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { ConversationKey = "y-order", DeliveryRouteId = myConversation.DeliveryRouteId }, x).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "x-5", ConversationKey = "y-order", Text = "hijack" }, x).ResponseAsync);
        Assert.Equal("chat-bob", (await k.Routing.GetDeliveryRouteAsync(new GetDeliveryRouteRequest { ConversationKey = "y-order" }, admin)).Route.ExternalChatId);
        var byKeyToo = await k.Delivery.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = byKey.Id }, x);
        Assert.Equal(byKey.Id, byKeyToo.Delivery.Id);

        // WatchDeliveries: naming another agent's delivery is refused; the tenant-wide watch streams only the key's.
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, async () =>
        {
            using var named = k.Delivery.WatchDeliveries(new WatchDeliveriesRequest { DeliveryIds = { mineDelivery.Id, theirDelivery.Id } }, x, DateTime.UtcNow.AddSeconds(10));
            while (await named.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        using (var watch = k.Delivery.WatchDeliveries(new WatchDeliveriesRequest(), x, DateTime.UtcNow.AddSeconds(30)))
        {
            var theirsLater = (await k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "y-2", ConversationId = theirs.ConversationId, Text = "later" }, admin)).Delivery;
            var mineLater = (await k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "x-6", ConversationId = routed.ConversationId, Text = "later" }, x)).Delivery;
            var seen = new List<string>();
            while (!seen.Contains(mineLater.Id) && await watch.ResponseStream.MoveNext(CancellationToken.None)) seen.Add(watch.ResponseStream.Current.Delivery.Id);
            Assert.Contains(mineLater.Id, seen);
            Assert.DoesNotContain(theirsLater.Id, seen);
            Assert.DoesNotContain(theirDelivery.Id, seen);
        }

        // The scope follows the bindings as they are now: a more specific binding moves ada's conversation to Y.
        await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agentY.Id, CustomerId = routed.CustomerId }, admin);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = routed.ConversationId }, x).ResponseAsync);
        Assert.Empty((await k.Routing.ListConversationsAsync(new ListConversationsRequest(), x)).Conversations);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = mine.Id, ExternalChatId = "chat-ada", ProviderMessageId = "m3", Sender = ada, Text = "again" }, x).ResponseAsync);
        Assert.Equal(tenant.Id, (await k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = routed.ConversationId }, admin)).Conversation.TenantId);
        k.AssertNoUnexpectedErrors();
    }

    private static ExternalIdentityKey Sender(string value) => new() { Provider = "test", IdentityType = "user_id", Value = value };
}

public sealed class RuntimeKeyScopeSqliteTests(SqliteKernelFixture fixture) : RuntimeKeyScopeTests(fixture), IClassFixture<SqliteKernelFixture>;

public sealed class RuntimeKeyScopePostgresTests(PostgresKernelFixture fixture) : RuntimeKeyScopeTests(fixture), IClassFixture<PostgresKernelFixture>;
