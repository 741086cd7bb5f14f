using System.Net;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.WhatsApp.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// WhatsApp Business Cloud API through the real kernel: Meta's verification GET on the channel's webhook URL, a
/// notification signed with X-Hub-Signature-256 in the shape of Meta's published example (Payloads/WhatsApp, see
/// SOURCES.md there) answered by the echo agent with a contextual reply at a local fake Graph API, Meta's retry of the
/// same notification answered once, a forged signature refused with nothing stored, and the 24-hour window error
/// (131047) dead-lettered with a clear last_error.
/// </summary>
public sealed class WhatsAppPipelineTests
{
    private const string AppSecret = "3f1c2d9e8b7a6f5e4d3c2b1a09f8e7d6";
    private const string VerifyToken = "meatyhamhock";

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Verification_then_a_signed_message_is_answered_once_with_a_contextual_reply_even_when_meta_retries(string provider)
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var kernel = await KernelHost.StartAsync(await DatabaseAsync(provider));
        var (auth, channel) = await SetUpAsync(kernel, graph);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        // Graph API "Getting started" → "Verification Requests", with the docs' example values.
        using (var verify = await http.GetAsync($"{channel.WebhookPath}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={VerifyToken}"))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            Assert.Equal("text/plain", verify.Content.Headers.ContentType?.MediaType);
            Assert.Equal("1158201444", await verify.Content.ReadAsStringAsync());
        }

        using (var wrong = await http.GetAsync($"{channel.WebhookPath}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess"))
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);

        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "WhatsApp", "text_message.json"));
        using (var forged = Signed(channel.WebhookPath, body, "not-the-app-secret"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        using (var first = Signed(channel.WebhookPath, body, AppSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(first)).StatusCode);
        using (var retry = Signed(channel.WebhookPath, body, AppSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(retry)).StatusCode);

        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries is { Count: > 0 } d && d.All(x => x.Status == DeliveryStatus.Delivered),
            "the reply delivered");
        var send = Assert.Single(graph.Sends);
        Assert.Equal("16505551234", send.Field("to"));
        Assert.Equal("echo: Does it come in another color?", send.Field("text", "body"));
        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", send.Field("context", "message_id"));
        Assert.Equal("Bearer " + graph.AccessToken, send.Authorization);
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_reply_outside_the_24_hour_window_is_a_dead_letter_saying_why()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        graph.FailNextSend(400, FakeGraphApi.GraphError(131047, "(#131047) Re-engagement message", subcode: 2494010,
            details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number."));
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, graph);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "WhatsApp", "reply_message.json"));
        using (var request = Signed(channel.WebhookPath, body, AppSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

        ClawScale.Protos.V1.Delivery? delivery = null;
        await Eventually.TrueAsync(async () =>
        {
            delivery = (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries.SingleOrDefault();
            return delivery is { Status: DeliveryStatus.Dead };
        }, "the dead delivery");
        Assert.Equal(1, delivery!.Attempts);
        Assert.Contains("code 131047", delivery.LastError, StringComparison.Ordinal);
        Assert.Contains("customer service window is closed", delivery.LastError, StringComparison.Ordinal);
        Assert.Single(graph.Sends);
        kernel.AssertNoUnexpectedErrors(m => m.Contains("dead letter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rate_limited_send_is_retried_after_retry_after_and_delivered()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        graph.FailNextSend(400, FakeGraphApi.GraphError(130429, "(#130429) Rate limit hit", details: "Cloud API message throughput has been reached."), retryAfterSeconds: 1);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, graph);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "WhatsApp", "text_message.json"));
        using (var request = Signed(channel.WebhookPath, body, AppSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries is { Count: 1 } d && d[0].Status == DeliveryStatus.Delivered,
            "the reply delivered");
        var delivery = Assert.Single((await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(2, graph.Sends.Count);
        Assert.All(graph.Sends, s => Assert.Equal("echo: Does it come in another color?", s.Field("text", "body")));
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_get_on_the_webhook_url_of_a_channel_that_does_not_verify_with_get_reaches_its_plugin_and_is_refused()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "telegram",
            DisplayName = "Bot",
            Config = { ["mode"] = "polling", ["api_base_url"] = KernelHost.UnreachablePlatformUrl },
            Credentials = { ["bot_token"] = KernelHost.SampleBotToken },
        }, auth)).Channel;
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using var get = await http.GetAsync($"{channel.WebhookPath}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={VerifyToken}");

        // 401 from the Telegram plugin (no secret token header), not the router's 405: GET reaches the adapter.
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.DoesNotContain("1158201444", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
    }

    /// <summary>SQLite, or a fresh PostgreSQL database when CLAWSCALE_TEST_POSTGRES is set (skipped otherwise).</summary>
    private static async Task<TestDatabase> DatabaseAsync(string provider)
    {
        if (provider == "sqlite") return TestDatabase.Sqlite();
        Skip.If(TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES"), "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES.");
        return await TestDatabase.PostgresAsync();
    }

    private static async Task<(global::Grpc.Core.Metadata Auth, Channel Channel)> SetUpAsync(KernelHost kernel, FakeGraphApi graph)
    {
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "whatsapp",
            DisplayName = "Support line",
            Config = { ["phone_number_id"] = graph.PhoneNumberId, ["graph_base_url"] = graph.BaseUrl.ToString() },
            Credentials = { ["access_token"] = graph.AccessToken, ["app_secret"] = AppSecret },
            WebhookSecret = VerifyToken,
        }, auth)).Channel;
        return (auth, channel);
    }

    private static HttpRequestMessage Signed(string path, string body, string secret)
    {
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", signature);
        return request;
    }
}
