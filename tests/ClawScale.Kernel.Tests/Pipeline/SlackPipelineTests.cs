using System.Net;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Slack.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// Slack through the real kernel (Events API mode): a signed event_callback in Slack's documented shape reaches the
/// echo agent and the reply is posted with chat.postMessage to the same channel and thread of a local fake Slack
/// API; a platform retry (X-Slack-Retry-Num) of the same event yields no second reply; a bad signature stores nothing.
/// </summary>
public sealed class SlackPipelineTests
{
    private const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    [Fact]
    public async Task A_signed_event_is_answered_in_its_thread_once_even_when_slack_retries()
    {
        await using var slack = await FakeSlackApi.StartAsync("xoxb-1111-2222-abcdefghijklmnop", "xapp-1-A111-222-abcdef", "U07BOT0001");
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "slack",
            DisplayName = "Workspace",
            Config = { ["mode"] = "events", ["api_base_url"] = slack.ApiBaseUrl.ToString(), ["bot_user_id"] = "U07BOT0001" },
            Credentials = { ["bot_token"] = slack.BotToken, ["signing_secret"] = SigningSecret },
        }, auth)).Channel;

        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "Slack", "channel_app_mention.json"));
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using (var forged = Signed(channel.WebhookPath, body, "not-the-signing-secret-at-all-000"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        using (var first = Signed(channel.WebhookPath, body, SigningSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(first)).StatusCode);
        using (var retry = Signed(channel.WebhookPath, body, SigningSecret))
        {
            retry.Headers.Add("X-Slack-Retry-Num", "1");
            retry.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(retry)).StatusCode);
        }

        await Eventually.TrueAsync(() => slack.CallsTo("chat.postMessage").Count > 0, "chat.postMessage");
        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries.All(d => d.Status == DeliveryStatus.Delivered),
            "every delivery delivered");
        var post = Assert.Single(slack.CallsTo("chat.postMessage"));
        using var payload = System.Text.Json.JsonDocument.Parse(body);
        var ev = payload.RootElement.GetProperty("event");
        Assert.Equal(ev.GetProperty("channel").GetString(), post.Field("channel"));
        Assert.Equal(ev.GetProperty("ts").GetString(), post.Field("thread_ts"));
        Assert.StartsWith("echo: ", post.Field("text"));
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_signed_slash_command_over_http_is_acknowledged_with_200_and_answered_in_its_channel()
    {
        await using var slack = await FakeSlackApi.StartAsync("xoxb-1111-2222-abcdefghijklmnop", "xapp-1-A111-222-abcdef", "U07BOT0001");
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "slack",
            DisplayName = "Workspace",
            Config = { ["mode"] = "events", ["api_base_url"] = slack.ApiBaseUrl.ToString(), ["bot_user_id"] = "U07BOT0001" },
            Credentials = { ["bot_token"] = slack.BotToken, ["signing_secret"] = SigningSecret },
        }, auth)).Channel;

        // Slack's published slash command example, form-encoded (see ClawScale.Plugins.Slack.Tests.SlackSlashCommandTests).
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "Slack", "slash_command.form"));
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using (var forged = Signed(channel.WebhookPath, body, "not-the-signing-secret-at-all-000", Form))
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        using (var command = Signed(channel.WebhookPath, body, SigningSecret, Form))
        {
            using var response = await http.SendAsync(command);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(() => slack.CallsTo("chat.postMessage").Count > 0, "chat.postMessage");
        var post = Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.Equal("C2147483705", post.Field("channel"));
        Assert.Null(post.Field("thread_ts"));
        Assert.Equal("echo: /weather 94070", post.Field("text"));
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    private const string Form = "application/x-www-form-urlencoded";

    private static HttpRequestMessage Signed(string path, string body, string secret, string contentType = "application/json")
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"))).ToLowerInvariant();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return request;
    }
}
