using System.Net;
using System.Text;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Mattermost.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// Mattermost through the real kernel: the documented outgoing webhook request (form-encoded, Mattermost "Outgoing
/// webhooks", tests/ClawScale.Plugins.Mattermost.Tests/Payloads/README.md) reaches the echo agent and the reply is posted
/// with POST /api/v4/posts into the post's thread at a local fake server, once even when the webhook is delivered
/// twice; a wrong token stores nothing.
/// </summary>
public sealed class MattermostPipelineTests
{
    private const string WebhookToken = "zmigewsanbbsdf59xnmduzypjc";

    [Fact]
    public async Task An_outgoing_webhook_post_is_answered_in_its_thread_once()
    {
        await using var mattermost = await FakeMattermostApi.StartAsync("kerneltestbottoken00000000");
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "mattermost",
            DisplayName = "Team",
            Config = { ["server_url"] = mattermost.ServerUrl.ToString() },
            Credentials = { ["webhook_token"] = WebhookToken, ["bot_token"] = mattermost.BotToken },
        }, auth)).Channel;
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "Mattermost", "outgoing_webhook.form"));
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        var forgedBody = body.Replace(WebhookToken, "aaaaaaaaaaaaaaaaaaaaaaaaaa", StringComparison.Ordinal);
        using (var forged = await http.PostAsync(new Uri(channel.WebhookPath, UriKind.Relative), new StringContent(forgedBody, Encoding.UTF8, "application/x-www-form-urlencoded")))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync(new Uri(channel.WebhookPath, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.TrueAsync(() => mattermost.Posts.Count > 0, "POST /api/v4/posts");
        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries.All(d => d.Status == DeliveryStatus.Delivered),
            "every delivery delivered");
        var post = Assert.Single(mattermost.Posts);
        Assert.Equal("hawos4dqtby53pd64o4a4cmeoo", post.GetProperty("channel_id").GetString());
        Assert.Equal("axdygg1957njfe5pu38saikdho", post.GetProperty("root_id").GetString());
        Assert.Equal("echo: text here", post.GetProperty("message").GetString());
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }
}
