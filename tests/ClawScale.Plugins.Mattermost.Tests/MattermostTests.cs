using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Mattermost.Tests.Fakes;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Plugins.Mattermost.Tests;

/// <summary>
/// The Mattermost channel with the documented outgoing webhook requests (Payloads/, sources in its README) and a local
/// fake REST API: token check, addressing, threads, rate limits and error mapping.
/// </summary>
public sealed class MattermostTests : IAsyncLifetime
{
    private const string WebhookToken = "zmigewsanbbsdf59xnmduzypjc";
    private const string BotToken = "9xuqwrwgstrb3mzrxb83nb357a";
    private FakeMattermostApi _api = null!;
    private readonly HttpClient _http = new();
    private readonly TrackingFakeTimeProvider _time = new();

    public async Task InitializeAsync() => _api = await FakeMattermostApi.StartAsync(BotToken);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _http.Dispose();
    }

    [Theory]
    [InlineData("outgoing_webhook.form", "application/x-www-form-urlencoded")]
    [InlineData("outgoing_webhook.json", "application/json")]
    public async Task The_documented_outgoing_webhook_becomes_a_group_message_addressed_by_its_trigger_word(string file, string contentType)
    {
        await using var adapter = Create();

        var result = await adapter.HandleWebhookAsync(Request(Read(file), contentType), default);

        Assert.Equal(200, result.StatusCode);
        Assert.True(result.ResponseBody.IsEmpty);
        var message = Assert.Single(result.Messages);
        Assert.Equal("axdygg1957njfe5pu38saikdho", message.ProviderMessageId);
        Assert.Equal("hawos4dqtby53pd64o4a4cmeoo", message.ExternalChatId);
        Assert.Equal("axdygg1957njfe5pu38saikdho", message.ExternalThreadId);
        Assert.Equal("rnina9994bde8mua79zqcg5hmo", message.Sender.Value);
        Assert.Equal("somename", message.Sender.Username);
        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("text here", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1445532266), message.SentAt);
    }

    [Theory]
    [InlineData("wrongtokenwrongtokenwrong0")]
    [InlineData("")]
    public async Task A_wrong_or_missing_token_is_refused_with_401_and_nothing_accepted(string token)
    {
        await using var adapter = Create();
        var body = Read("outgoing_webhook.form").Replace("token=" + WebhookToken, "token=" + token, StringComparison.Ordinal);

        var result = await adapter.HandleWebhookAsync(Request(body, "application/x-www-form-urlencoded"), default);
        var garbage = await adapter.HandleWebhookAsync(Request("{not json", "application/json"), default);

        Assert.All([result, garbage], r => Assert.Equal(401, r.StatusCode));
        Assert.All([result, garbage], r => Assert.Empty(r.Messages));
    }

    [Fact]
    public async Task Without_a_trigger_word_a_post_is_addressed_only_when_it_mentions_the_bot()
    {
        await using var adapter = Create();
        await adapter.ConnectAsync(default);
        var plain = Read("outgoing_webhook.json").Replace("\"trigger_word\": \"some\",", string.Empty, StringComparison.Ordinal);
        var mention = plain.Replace("some text here", "hey @clawbot, what's up", StringComparison.Ordinal);
        var otherMention = plain.Replace("some text here", "hey @clawbotter", StringComparison.Ordinal);
        var own = plain.Replace("rnina9994bde8mua79zqcg5hmo", FakeMattermostApi.BotUserId, StringComparison.Ordinal);

        Assert.False(Assert.Single((await adapter.HandleWebhookAsync(Request(plain, "application/json"), default)).Messages).AddressedToBot);
        Assert.True(Assert.Single((await adapter.HandleWebhookAsync(Request(mention, "application/json"), default)).Messages).AddressedToBot);
        Assert.False(Assert.Single((await adapter.HandleWebhookAsync(Request(otherMention, "application/json"), default)).Messages).AddressedToBot);
        Assert.Empty((await adapter.HandleWebhookAsync(Request(own, "application/json"), default)).Messages);
    }

    [Fact]
    public async Task A_reply_is_posted_in_the_thread_with_the_bot_token_and_reports_the_post_id()
    {
        await using var adapter = Create();

        var result = await adapter.SendAsync(Message("echo: hi", thread: "axdygg1957njfe5pu38saikdho"), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.StartsWith("p", result.ProviderMessageId);
        var post = Assert.Single(_api.Posts);
        Assert.Equal("hawos4dqtby53pd64o4a4cmeoo", post.GetProperty("channel_id").GetString());
        Assert.Equal("axdygg1957njfe5pu38saikdho", post.GetProperty("root_id").GetString());
        Assert.Equal("echo: hi", post.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_post_that_is_itself_a_reply_is_answered_under_its_thread_root()
    {
        await using var adapter = Create();
        _api.SetReply("replypost00000000000000000", "rootpost000000000000000000");

        var result = await adapter.SendAsync(Message("echo: hi", thread: "replypost00000000000000000"), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal("rootpost000000000000000000", Assert.Single(_api.Posts).GetProperty("root_id").GetString());
    }

    [Fact]
    public async Task A_429_is_retried_after_the_wait_mattermost_asked_for()
    {
        await using var adapter = Create();
        _api.FailNextPost(429, "api.context.rate_limit.app_error", "Too many requests", new Dictionary<string, string> { ["X-Ratelimit-Reset"] = "3", ["X-Ratelimit-Remaining"] = "0", ["X-Ratelimit-Limit"] = "10" });
        _api.FailNextPost(429, "api.context.rate_limit.app_error", "Too many requests", new Dictionary<string, string> { ["Retry-After"] = "5" });

        var first = await adapter.SendAsync(Message("a"), default);
        var second = await adapter.SendAsync(Message("b"), default);

        Assert.Equal(SendOutcome.Retry, first.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(3), first.RetryAfter);
        Assert.Equal(SendOutcome.Retry, second.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(5), second.RetryAfter);
    }

    [Theory]
    [InlineData(401, "api.context.session_expired.app_error", SendOutcome.PermanentFailure, "credentials.bot_token")]
    [InlineData(403, "api.context.permissions.app_error", SendOutcome.PermanentFailure, "add the bot account")]
    [InlineData(400, "api.post.create_post.channel_id.app_error", SendOutcome.PermanentFailure, "api.post.create_post.channel_id.app_error")]
    [InlineData(500, "app.post.save.app_error", SendOutcome.Retry, "HTTP 500")]
    public async Task Http_errors_map_to_retry_or_dead_letter(int status, string id, SendOutcome expected, string mentioned)
    {
        await using var adapter = Create();
        _api.FailNextPost(status, id, "scripted");

        var result = await adapter.SendAsync(Message("a"), default);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains(mentioned, result.Error);
        Assert.DoesNotContain(BotToken, result.Error);
    }

    [Fact]
    public async Task A_rejected_bot_token_fails_connect_with_what_to_do()
    {
        await using var adapter = Create(botToken: "wrongbottoken0000000000000");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await adapter.ConnectAsync(default));
        Assert.Contains("credentials.bot_token", ex.Message);
    }

    [Fact]
    public void The_factory_lists_every_problem_and_declares_server_url_as_endpoint()
    {
        var factory = new MattermostChannelAdapterFactory();
        var problems = factory.Validate(new Dictionary<string, string> { ["server_url"] = "ftp://x", ["bot_user_id"] = "U123" }, new Dictionary<string, string>());
        Assert.Contains(problems, p => p.StartsWith("config.server_url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.bot_user_id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.webhook_token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.bot_token", StringComparison.Ordinal));
        Assert.Equal(["server_url"], factory.EndpointConfigKeys);
    }

    private MattermostChannelAdapter Create(string botToken = BotToken) =>
        (MattermostChannelAdapter)new MattermostChannelAdapterFactory().Create(new ChannelContext
        {
            ChannelId = "ch_mm",
            TenantId = "tn_test",
            Config = new Dictionary<string, string> { ["server_url"] = _api.ServerUrl.AbsoluteUri },
            Credentials = new Dictionary<string, string> { ["webhook_token"] = WebhookToken, ["bot_token"] = botToken },
            WebhookSecret = "unused",
            HttpClient = _http,
            Logger = NullLogger.Instance,
            TimeProvider = _time,
        });

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    private static WebhookRequest Request(string body, string contentType) => new()
    {
        Method = "POST",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = contentType },
        Body = Encoding.UTF8.GetBytes(body),
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    private static OutboundMessage Message(string text, string? thread = null) => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "k1",
        ExternalChatId = "hawos4dqtby53pd64o4a4cmeoo",
        ExternalThreadId = thread,
        Text = text,
    };
}
