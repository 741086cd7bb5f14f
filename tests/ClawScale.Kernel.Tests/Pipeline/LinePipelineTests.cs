using System.Net;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Line.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// LINE through the real kernel: webhooks signed with X-Line-Signature in the shapes of the Messaging API reference
/// (Payloads/Line, see SOURCES.md there) answered by the echo agent through the reply API of a local fake (with the
/// event's reply token, well within its one-minute window), a redelivery of the same event (same webhookEventId,
/// isRedelivery true) answered once, a group message answered only when it mentions the bot, and a forged signature
/// refused with nothing stored.
/// </summary>
public sealed class LinePipelineTests
{
    private const string ChannelSecret = "8c570fa6dd201bb328f1c1eac23a96d8";

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_signed_message_is_answered_once_with_its_reply_token_even_when_line_redelivers_it(string provider)
    {
        await using var line = await FakeLineApi.StartAsync();
        line.IssueReplyToken("757913772c4646b784d4b7ce46d12671");
        await using var kernel = await KernelHost.StartAsync(await DatabaseAsync(provider));
        var (auth, channel) = await SetUpAsync(kernel, line);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = await ReadAsync("request_body.json");

        using (var forged = Signed(channel.WebhookPath, body, "ffffffffffffffffffffffffffffffff"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        using (var first = Signed(channel.WebhookPath, body, ChannelSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(first)).StatusCode);
        using (var redelivery = Signed(channel.WebhookPath, body.Replace("\"isRedelivery\": false", "\"isRedelivery\": true", StringComparison.Ordinal), ChannelSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(redelivery)).StatusCode);

        await WaitDeliveredAsync(kernel, auth);
        var reply = Assert.Single(line.Calls, c => c.Api != "info");
        Assert.Equal("reply", reply.Api);
        Assert.Equal("757913772c4646b784d4b7ce46d12671", reply.Field("replyToken"));
        Assert.Equal(["echo: Hello, world"], reply.Texts);
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task In_a_group_only_the_message_that_mentions_the_bot_is_answered()
    {
        await using var line = await FakeLineApi.StartAsync();
        line.IssueReplyToken("nHuyWiB7yP5Zw52FIkcQobQuGDXCTA");
        line.IssueReplyToken("b60d432864f44d079f6d8efe86cf404b");
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, line);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using (var notMentioned = Signed(channel.WebhookPath, await ReadAsync("group_text_mentions.json"), ChannelSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(notMentioned)).StatusCode);
        using (var mentioned = Signed(channel.WebhookPath, await ReadAsync("group_text_mention_self.json"), ChannelSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(mentioned)).StatusCode);

        await WaitDeliveredAsync(kernel, auth);
        var reply = Assert.Single(line.Calls, c => c.Api != "info");
        Assert.Equal("b60d432864f44d079f6d8efe86cf404b", reply.Field("replyToken"));
        Assert.Equal(["echo: what is the opening time?"], reply.Texts);
        // The answer quotes the user's message in the group (its quoteToken from the webhook).
        Assert.Equal("q3Plxr4AgKd...", reply.Json!.Value.GetProperty("messages")[0].GetProperty("quoteToken").GetString());
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_refused_reply_token_falls_back_to_push_and_a_429_is_retried_with_the_same_retry_key()
    {
        await using var line = await FakeLineApi.StartAsync();
        // No reply token issued: LINE answers 400 "Invalid reply token"; the first push is rate limited (Retry-After: 1).
        line.FailNextPush(429, FakeLineApi.Error("The API rate limit has been exceeded. Try again later."), retryAfterSeconds: 1);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, line);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using (var request = Signed(channel.WebhookPath, await ReadAsync("request_body.json"), ChannelSecret))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

        await WaitDeliveredAsync(kernel, auth);
        Assert.Equal(["reply", "push", "push"], line.Calls.Where(c => c.Api != "info").Select(c => c.Api));
        var pushes = line.CallsTo("push");
        Assert.NotNull(pushes[0].RetryKey);
        Assert.Equal(pushes[0].RetryKey, pushes[1].RetryKey);
        Assert.Equal("U80696558e1aa831a0b2c3d4e5f6a7b8c", pushes[1].Field("to"));
        Assert.Equal(["echo: Hello, world"], pushes[1].Texts);
        var delivery = Assert.Single((await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries);
        Assert.Equal(2, delivery.Attempts);
        kernel.AssertNoUnexpectedErrors();
    }

    /// <summary>SQLite, or a fresh PostgreSQL database when CLAWSCALE_TEST_POSTGRES is set (skipped otherwise).</summary>
    private static async Task<TestDatabase> DatabaseAsync(string provider)
    {
        if (provider == "sqlite") return TestDatabase.Sqlite();
        Skip.If(TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES"), "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES.");
        return await TestDatabase.PostgresAsync();
    }

    private static async Task WaitDeliveredAsync(KernelHost kernel, global::Grpc.Core.Metadata auth) =>
        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries is { Count: > 0 } d && d.All(x => x.Status == DeliveryStatus.Delivered),
            "the reply delivered");

    private static Task<string> ReadAsync(string name) => File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "Line", name));

    private static async Task<(global::Grpc.Core.Metadata Auth, Channel Channel)> SetUpAsync(KernelHost kernel, FakeLineApi line)
    {
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "line",
            DisplayName = "Official account",
            Config = { ["api_base_url"] = line.BaseUrl.ToString() },
            Credentials = { ["channel_access_token"] = line.AccessToken, ["channel_secret"] = ChannelSecret },
        }, auth)).Channel;
        return (auth, channel);
    }

    private static HttpRequestMessage Signed(string path, string body, string secret)
    {
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Line-Signature", signature);
        return request;
    }
}
