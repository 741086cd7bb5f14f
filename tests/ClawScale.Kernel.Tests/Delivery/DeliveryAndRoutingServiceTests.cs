using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;
using ClawScale.Kernel.Tests.Runtime;
using ClawScale.Protos.V1;
using Grpc.Core;
using Setup = ClawScale.Kernel.Tests.Pipeline.TelegramPipelineTests.Setup;

namespace ClawScale.Kernel.Tests.Delivery;

/// <summary>DeliveryService and RoutingService through the real kernel, a real database and the fake Bot API.</summary>
public abstract class DeliveryAndRoutingServiceTests(RuntimeKernelFixture fixture)
{
    private KernelHost Kernel => fixture.Host;

    [SkippableFact]
    public async Task Deliver_is_idempotent_per_key_and_a_failed_delivery_is_retried_to_its_first_route()
    {
        await using var t = await Setup.StartAsync(Kernel);
        var auth = Kernel.AdminAuth;
        var route = (await Kernel.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { TenantId = t.TenantId, ConversationKey = "order-1", Address = new RouteAddress { ChannelId = t.ChannelId, ExternalChatId = "777" } }, auth)).Route;
        t.Fake.FailNextSends(1, 429, "Too Many Requests: retry after 1", retryAfter: 1);

        var first = await Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "k1", ConversationKey = "order-1", Text = "Your order shipped" }, auth);
        Assert.False(first.Replayed);
        Assert.Equal(route.Id, first.Delivery.DeliveryRouteId);
        var again = await Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "k1", ConversationKey = "order-1", Text = "Your order shipped" }, auth);
        Assert.True(again.Replayed);
        Assert.Equal(first.Delivery.Id, again.Delivery.Id);
        await RpcAssert.ThrowsAsync(StatusCode.AlreadyExists, () => Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "k1", ConversationKey = "order-1", Text = "Different" }, auth).ResponseAsync, "different payload");

        // Rebinding the key while the delivery waits for its retry does not re-route it.
        var moved = (await Kernel.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { TenantId = t.TenantId, ConversationKey = "order-1", Address = new RouteAddress { ChannelId = t.ChannelId, ExternalChatId = "888" } }, auth)).Route;
        Assert.NotEqual(route.Id, moved.Id);
        Assert.Equal("888", (await Kernel.Routing.GetDeliveryRouteAsync(new GetDeliveryRouteRequest { TenantId = t.TenantId, ConversationKey = "order-1" }, auth)).Route.ExternalChatId);

        var sends = await t.WaitForCallsToAsync("777", 2);
        await Eventually.TrueAsync(async () => (await Kernel.Delivery.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = first.Delivery.Id }, auth)).Delivery.Status == DeliveryStatus.Delivered, "the retried delivery");
        var delivered = (await Kernel.Delivery.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = first.Delivery.Id }, auth)).Delivery;
        Assert.Equal(2, delivered.Attempts);
        Assert.Equal(route.Id, delivered.DeliveryRouteId);
        Assert.All(sends, s => Assert.Equal("Your order shipped", s.Parameter("text")));
        Assert.Empty(t.CallsTo("888"));

        // A new key by conversation key goes to the new address.
        await Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "k2", ConversationKey = "order-1", Text = "Moved" }, auth);
        Assert.Equal("Moved", Assert.Single(await t.WaitForCallsToAsync("888", 1)).Parameter("text"));
        var list = await Kernel.Delivery.ListDeliveriesAsync(new ListDeliveriesRequest { TenantId = t.TenantId, Status = DeliveryStatus.Delivered }, auth);
        Assert.Contains(list.Deliveries, d => d.Id == first.Delivery.Id);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "k3", ConversationKey = "order-1" }, auth).ResponseAsync, "text");
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task WatchDeliveries_sees_a_delivery_go_from_pending_to_delivered()
    {
        await using var t = await Setup.StartAsync(Kernel);
        var auth = Kernel.AdminAuth;
        await Kernel.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { TenantId = t.TenantId, ConversationKey = "watch", Address = new RouteAddress { ChannelId = t.ChannelId, ExternalChatId = "555" } }, auth);
        // The first send is refused for 1 s, so the delivery is seen before it is delivered.
        t.Fake.FailNextSends(1, 429, "Too Many Requests: retry after 1", retryAfter: 1);
        var delivery = (await Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "w1", ConversationKey = "watch", Text = "hi" }, auth)).Delivery;
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var watch = Kernel.Delivery.WatchDeliveries(new WatchDeliveriesRequest { TenantId = t.TenantId, DeliveryIds = { delivery.Id } }, auth, cancellationToken: cts.Token);
        var seen = new List<DeliveryStatus>();
        while (await watch.ResponseStream.MoveNext(cts.Token))
        {
            Assert.Equal(delivery.Id, watch.ResponseStream.Current.Delivery.Id);
            seen.Add(watch.ResponseStream.Current.Delivery.Status);
            if (seen[^1] == DeliveryStatus.Delivered) break;
        }

        Assert.NotEqual(DeliveryStatus.Delivered, seen[0]);
        Assert.Equal(DeliveryStatus.Delivered, seen[^1]);
        Assert.Contains(DeliveryStatus.Failed, seen); // the refused first attempt, then the retry
        for (var i = 1; i < seen.Count; i++) Assert.NotEqual(seen[i - 1], seen[i]);
        await cts.CancelAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task RouteInbound_is_deduplicated_and_its_conversation_and_messages_are_readable()
    {
        await using var t = await Setup.StartAsync(Kernel);
        var auth = Kernel.AdminAuth;
        var request = new RouteInboundRequest
        {
            TenantId = t.TenantId,
            ChannelId = t.ChannelId,
            ExternalChatId = "4242",
            ProviderMessageId = "crm-1",
            Sender = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "4242" },
            SenderDisplayName = "Grace",
            Text = "routed hello",
        };
        var first = await Kernel.Routing.RouteInboundAsync(request, auth);
        Assert.False(first.Duplicate);
        var repeat = await Kernel.Routing.RouteInboundAsync(request, auth);
        Assert.True(repeat.Duplicate);
        Assert.Equal(first.TurnId, repeat.TurnId);
        Assert.Equal(first.InboundEventId, repeat.InboundEventId);
        Assert.Equal(first.ConversationId, repeat.ConversationId);
        Assert.Equal(first.CustomerId, repeat.CustomerId);

        // The echo agent answers once, in the chat.
        Assert.Equal("echo: routed hello", Assert.Single(await t.WaitForRepliesAsync("4242", 1)).Parameter("text"));
        await t.AssertNoMoreRepliesAsync("4242", 1);

        var conversation = (await Kernel.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = first.ConversationId }, auth)).Conversation;
        Assert.Equal(first.CustomerId, conversation.CustomerId);
        var listed = await Kernel.Routing.ListConversationsAsync(new ListConversationsRequest { TenantId = t.TenantId, CustomerId = first.CustomerId }, auth);
        Assert.Equal(first.ConversationId, Assert.Single(listed.Conversations).Id);
        var page1 = await Kernel.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = first.ConversationId, PageSize = 1 }, auth);
        Assert.Equal("routed hello", Assert.Single(page1.Messages).Text);
        Assert.Equal(MessageRole.User, page1.Messages[0].Role);
        var page2 = await Kernel.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = first.ConversationId, PageSize = 1, PageToken = page1.NextPageToken }, auth);
        Assert.Equal("echo: routed hello", Assert.Single(page2.Messages).Text);
        Assert.Equal(MessageRole.Agent, page2.Messages[0].Role);

        // A conversation's route can be bound to a key and used by Deliver.
        var bound = (await Kernel.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { TenantId = t.TenantId, ConversationKey = "ticket-9", DeliveryRouteId = conversation.DeliveryRouteId }, auth)).Route;
        Assert.Equal("4242", bound.ExternalChatId);
        Assert.Equal(first.CustomerId, bound.CustomerId);
        await Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "t9", ConversationKey = "ticket-9", Text = "ticket update" }, auth);
        await Kernel.Delivery.DeliverAsync(new DeliverRequest { TenantId = t.TenantId, IdempotencyKey = "t10", ConversationId = conversation.Id, Text = "conversation update" }, auth);
        var sends = await t.WaitForCallsToAsync("4242", 3);
        // Order is kept per delivery route; the key-bound route and the conversation's route are two routes to one chat.
        Assert.Equal("echo: routed hello", sends[0].Parameter("text"));
        Assert.Equal(["conversation update", "ticket update"], sends.Skip(1).Select(s => s.Parameter("text")).Order());
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => Kernel.Routing.RouteInboundAsync(new RouteInboundRequest { TenantId = t.TenantId, ChannelId = t.ChannelId }, auth).ResponseAsync, "external_chat_id");
        t.AssertNoUnexpectedErrors();
    }
}

public sealed class DeliveryAndRoutingServiceSqliteTests(SqliteRuntimeKernelFixture fixture) : DeliveryAndRoutingServiceTests(fixture), IClassFixture<SqliteRuntimeKernelFixture>;

public sealed class DeliveryAndRoutingServicePostgresTests(PostgresRuntimeKernelFixture fixture) : DeliveryAndRoutingServiceTests(fixture), IClassFixture<PostgresRuntimeKernelFixture>;
