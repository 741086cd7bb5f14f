using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Tests.Logging;

/// <summary>
/// Ids from outside cannot forge log lines, through the real host: a sender id sent to RoutingService.RouteInbound and
/// a channel id in a webhook path, each carrying "\n[Error] forged", reach the log escaped — no formatted message holds a
/// raw line break or a control character.
/// </summary>
public sealed class LogForgingTests
{
    private const string Forged = "\n[Error] forged";

    [Fact]
    public async Task A_newline_in_a_routed_sender_id_or_a_webhook_channel_id_is_logged_escaped()
    {
        await using var k = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            // The second message of a sender within a minute is over the limit, which logs the sender (event 2105).
            ["ClawScale:Pipeline:SenderMessagesPerMinute"] = "1",
        });
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var channel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "site" }, auth)).Channel;
        var agent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "rt", Kind = "external" }, auth)).Agent;
        await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var sender = new ExternalIdentityKey { Provider = "test", IdentityType = "user_id", Value = "mallory" + Forged };

        await k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = channel.Id, ExternalChatId = "c", ProviderMessageId = "p1", Sender = sender, Text = "hi" }, auth);
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = channel.Id, ExternalChatId = "c", ProviderMessageId = "p2", Sender = sender, Text = "hi" }, auth).ResponseAsync);

        using var http = new HttpClient { BaseAddress = k.HttpAddress };
        using var webhook = await http.PostAsync("/webhooks/" + Uri.EscapeDataString("nope" + Forged), new StringContent("{}"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, webhook.StatusCode);

        var limited = Assert.Single(k.Logs.Entries, e => e.EventId.Id == 2105);
        Assert.Contains("mallory\\n[Error] forged", limited.Message);
        var unknown = Assert.Single(k.Logs.Entries, e => e.EventId.Id == 2201);
        Assert.Contains("nope\\n[Error] forged", unknown.Message);
        Assert.All(k.Logs.Entries, e => Assert.DoesNotContain(e.Message, c => char.IsControl(c) && c != '\t'));
        Assert.DoesNotContain(k.Logs.Entries, e => e.Message.StartsWith("[Error] forged", StringComparison.Ordinal) || e.Message.Contains("\n[Error]", StringComparison.Ordinal));
        k.AssertNoUnexpectedErrors();
    }
}
