using System.Net;
using System.Text.Json;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Protos.V1;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Channels.WebChat;

/// <summary><c>GET /chat/{channelId}/history</c> against rows in the real database (tenant and channel made through AdminService).</summary>
public sealed class WebChatHistoryTests(WebChatKernel kernel) : IClassFixture<WebChatKernel>
{
    [Fact]
    public async Task History_is_the_visitors_conversation_on_that_channel_oldest_first_at_most_100()
    {
        var host = kernel.Host;
        var (tenant, key) = await host.CreateTenantAsync();
        var auth = Infrastructure.KernelHost.Auth(key);
        var channel = (await host.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Site chat" }, auth)).Channel;
        var otherChannel = (await host.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Other chat" }, auth)).Channel;
        kernel.Registry.Add(host.App.Services, "webchat", channel.Id, tenant.Id);

        var visitor = WebChatKernel.NewVisitorId();
        var stranger = WebChatKernel.NewVisitorId();
        var start = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var customer = new CustomerEntity { Id = Guid.NewGuid().ToString(), TenantId = tenant.Id, CreatedAt = start, UpdatedAt = start };
            db.Customers.Add(customer);
            string Conversation(string channelId, string chat)
            {
                var route = new DeliveryRouteEntity { Id = Guid.NewGuid().ToString(), TenantId = tenant.Id, ChannelId = channelId, ExternalChatId = chat, CustomerId = customer.Id, CreatedAt = start };
                var conversation = new ConversationEntity
                {
                    Id = Guid.NewGuid().ToString(), TenantId = tenant.Id, ChannelId = channelId, CustomerId = customer.Id, ExternalChatId = chat,
                    DeliveryRouteId = route.Id, CreatedAt = start, LastMessageAt = start,
                };
                db.DeliveryRoutes.Add(route);
                db.Conversations.Add(conversation);
                return conversation.Id;
            }

            var mine = Conversation(channel.Id, visitor);
            var strangers = Conversation(channel.Id, stranger);
            var sameVisitorOtherChannel = Conversation(otherChannel.Id, visitor);
            for (var i = 0; i < 105; i++)
            {
                var user = i % 2 == 0;
                db.Messages.Add(new MessageEntity
                {
                    Id = Guid.NewGuid().ToString(), TenantId = tenant.Id, ConversationId = mine,
                    Role = user ? MessageRoleValue.User : MessageRoleValue.Agent, Text = $"message {i}",
                    ProviderMessageId = user ? $"{visitor}:c{i}" : string.Empty, CreatedAt = start.AddSeconds(i),
                });
            }

            foreach (var other in new[] { strangers, sameVisitorOtherChannel })
                db.Messages.Add(new MessageEntity { Id = Guid.NewGuid().ToString(), TenantId = tenant.Id, ConversationId = other, Role = MessageRoleValue.User, Text = "not yours", CreatedAt = start.AddHours(1) });
            await db.SaveChangesAsync();
        }

        using var response = await kernel.Http.GetAsync($"/chat/{channel.Id}/history?visitorId={visitor}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var messages = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(100, messages.Count);
        Assert.Equal(Enumerable.Range(5, 100).Select(i => $"message {i}"), messages.Select(m => m.GetProperty("text").GetString()));
        Assert.DoesNotContain(messages, m => m.GetProperty("text").GetString() == "not yours");

        var firstUser = messages.First(m => m.GetProperty("role").GetString() == "user");
        Assert.Equal("message 6", firstUser.GetProperty("text").GetString());
        Assert.Equal($"{visitor}:c6", firstUser.GetProperty("id").GetString());
        Assert.Equal(start.AddSeconds(6), firstUser.GetProperty("time").GetDateTimeOffset().UtcDateTime);
        var agent = messages[0];
        Assert.Equal("agent", agent.GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(agent.GetProperty("id").GetString()));

        using var unknownVisitor = await kernel.Http.GetAsync($"/chat/{channel.Id}/history?visitorId={WebChatKernel.NewVisitorId()}");
        Assert.Equal("[]", await unknownVisitor.Content.ReadAsStringAsync());
        host.AssertNoUnexpectedErrors();
    }
}
