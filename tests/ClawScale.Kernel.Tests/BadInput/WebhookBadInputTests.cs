using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;
using ClawScale.Protos.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Setup = ClawScale.Kernel.Tests.Pipeline.TelegramPipelineTests.Setup;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// Bad webhook input against the real kernel (Kestrel, SQLite, the real Telegram and generic webhook plugins, the echo
/// agent, a fake Bot API and a local callback receiver): malformed and oversized bodies, unknown and archived channels,
/// and a flood from one sender, each answered with its status while nothing of it is stored, and another sender on the
/// same channel is still accepted and answered afterwards.
/// </summary>
public sealed class WebhookBadInputTests(BadInputKernelFixture fixture) : IClassFixture<BadInputKernelFixture>
{
    private const string Ada = "111111111";
    private const string Bob = "222222222";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("{\"update_id\": 734012001, \"message\": {")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    [InlineData("{\"update_id\": \"seven\"}")]
    public async Task Telegram_malformed_update_is_400_with_a_reason_and_nothing_is_stored(string body)
    {
        await using var t = await Setup.StartAsync(fixture.Host);

        var (status, text) = await PostRawAsync(t, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a JSON Telegram Update", text, StringComparison.Ordinal);
        await AssertNothingStoredAsync(t);
        await AssertTelegramServesAnotherSenderAsync(t, expectedReplies: 1);
    }

    [Theory]
    [InlineData("this is not JSON", "not a JSON object")]
    [InlineData("{\"id\": \"m-1\", \"chat_id\": ", "the JSON is malformed there")]
    [InlineData("{\"id\": \"m-1\", \"chat_id\": \"c\", \"sender\": {\"id\": 42}, \"text\": \"hi\"}", "sender.id")]
    [InlineData("{\"id\": \"m-1\", \"chat_id\": \"c\", \"text\": \"hi\"}", "sender is required")]
    public async Task Generic_webhook_malformed_message_is_400_naming_the_problem_and_nothing_is_stored(string body, string reason)
    {
        await using var w = await GenericWebhookChannel.StartAsync(fixture.Host);

        var (status, _, text) = await w.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.Equal(0, await CountInboundAsync(fixture.Host, w.ChannelId));
        await AssertGenericServesAsync(w, "carol");
    }

    [Theory]
    [InlineData("telegram", false)]
    [InlineData("telegram", true)]
    [InlineData("webhook", false)]
    [InlineData("webhook", true)]
    public async Task Body_over_MaxWebhookBodyBytes_is_413_with_Content_Length_and_when_chunked(string kind, bool chunked)
    {
        var k = fixture.Host;
        // Sixteen times the configured limit: a chunked body is read only up to the limit.
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 16 * BadInputKernelFixture.MaxWebhookBodyBytes) + "\"}");

        if (kind == "telegram")
        {
            await using var t = await Setup.StartAsync(k);
            var (status, text) = chunked
                ? await RawChunkedPost.SendAsync(k.HttpAddress, "/webhooks/" + t.ChannelId, body, [("X-Telegram-Bot-Api-Secret-Token", TelegramPipelineTests.Secret)])
                : await PostRawAsync(t, new ByteArrayContent(body));
            AssertTooLarge(status, text);
            await AssertNothingStoredAsync(t);
            await AssertTelegramServesAnotherSenderAsync(t, expectedReplies: 1);
        }
        else
        {
            await using var w = await GenericWebhookChannel.StartAsync(k);
            var (status, text) = chunked
                ? await RawChunkedPost.SendAsync(k.HttpAddress, "/webhooks/" + w.ChannelId, body, [])
                : await PostRawAsync(k, w.ChannelId, new ByteArrayContent(body), secret: null);
            AssertTooLarge(status, text);
            Assert.Equal(0, await CountInboundAsync(k, w.ChannelId));
            await AssertGenericServesAsync(w, "carol");
        }

        k.AssertNoUnexpectedErrors();

        static void AssertTooLarge(HttpStatusCode status, string text)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
            Assert.Contains($"limited to {BadInputKernelFixture.MaxWebhookBodyBytes} bytes", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_and_archived_channel_ids_are_404_and_other_channels_keep_being_served()
    {
        var k = fixture.Host;
        var update = TelegramPipelineTests.Payload("private_text").ToJsonString();

        var (unknown, unknownText) = await PostRawAsync(k, "ch-" + Guid.NewGuid().ToString("N"), new StringContent(update, Encoding.UTF8, "application/json"), TelegramPipelineTests.Secret);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("does not exist", unknownText, StringComparison.Ordinal);

        await using var archived = await GenericWebhookChannel.StartAsync(k);
        await k.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = archived.ChannelId, Status = ChannelStatus.Archived }, k.AdminAuth);
        var (status, _, text) = await archived.PostAsync(GenericWebhookChannel.Message("m-1", "dave", "anyone there?"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("is archived", text, StringComparison.Ordinal);
        Assert.Equal(0, await CountInboundAsync(k, archived.ChannelId));

        await using var t = await Setup.StartAsync(k);
        await AssertTelegramServesAnotherSenderAsync(t, expectedReplies: 1);
        k.AssertNoUnexpectedErrors();
    }

    /// <summary>
    /// Telegram holds back every later update of a bot while one webhook call is failing, so a flooding user's excess is
    /// acknowledged (200) and dropped, not refused: the other users of the bot keep being answered.
    /// </summary>
    [Fact]
    public async Task Telegram_flood_from_one_sender_is_acknowledged_and_dropped_while_another_sender_is_answered()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        var limit = BadInputKernelFixture.SenderMessagesPerMinute;
        var updateId = 734_100_000L;

        // Ada sends limit + 4 messages in a burst, Bob sends one in the middle of it and one after it. (The limit
        // refills one message every 30 s, far longer than these posts take.)
        for (var i = 1; i <= limit + 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Update(++updateId, Ada, $"flood {i}")));
            if (i == limit + 1) Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Update(++updateId, Bob, "bob during the flood")));
        }

        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Update(++updateId, Bob, "bob after the flood")));

        await t.WaitForRepliesAsync(Bob, limit + 2);
        await t.AssertNoMoreRepliesAsync(Bob, 2);
        Assert.Equal(["echo: bob during the flood", "echo: bob after the flood"], t.CallsTo(Bob).Select(c => c.Parameter("text")));
        Assert.Equal(Enumerable.Range(1, limit).Select(i => $"echo: flood {i}"), t.CallsTo(Ada).Select(c => c.Parameter("text")));
        Assert.Equal(limit + 2, await t.CountAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId)));

        // Visible to an admin: one warning for the episode naming the channel, the sender and the limit, not one per message.
        var warnings = fixture.Host.Logs.Entries.Where(e => e.EventId.Id == 2105 && e.Message.Contains(t.ChannelId, StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"sender {Ada} ", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"{limit} messages per minute", warning.Message, StringComparison.Ordinal);
        t.AssertNoUnexpectedErrors();
    }

    /// <summary>
    /// The generic webhook channel's callers retry a refused call, so a sender over the limit gets 429 with Retry-After
    /// (60 s / SenderMessagesPerMinute, rounded up) and its message is not stored; another sender is answered.
    /// </summary>
    [Fact]
    public async Task Generic_webhook_flood_is_429_with_Retry_After_while_another_sender_is_answered()
    {
        await using var w = await GenericWebhookChannel.StartAsync(fixture.Host);
        var limit = BadInputKernelFixture.SenderMessagesPerMinute;
        var retryAfter = (60 / limit).ToString(CultureInfo.InvariantCulture);

        for (var i = 1; i <= limit; i++)
        {
            var (accepted, _, _) = await w.PostAsync(GenericWebhookChannel.Message($"x-{i}", "xavier", $"flood {i}"));
            Assert.Equal(HttpStatusCode.Accepted, accepted);
        }

        for (var i = limit + 1; i <= limit + 3; i++)
        {
            var (status, header, text) = await w.PostAsync(GenericWebhookChannel.Message($"x-{i}", "xavier", $"flood {i}"));
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Equal(retryAfter, header);
            Assert.Contains($"the limit is {limit} per minute", text, StringComparison.Ordinal);
            Assert.Contains($"after {retryAfter} s", text, StringComparison.Ordinal);
        }

        var (other, _, _) = await w.PostAsync(GenericWebhookChannel.Message("y-1", "yvonne", "am I heard?"));
        Assert.Equal(HttpStatusCode.Accepted, other);

        await Eventually.TrueAsync(() => w.RepliesTo("yvonne").Count == 1 && w.RepliesTo("xavier").Count == limit, "the replies to both senders");
        Assert.Equal("echo: am I heard?", Assert.Single(w.RepliesTo("yvonne")));
        var stored = await InboundIdsAsync(fixture.Host, w.ChannelId);
        Assert.Equal([.. Enumerable.Range(1, limit).Select(i => $"x-{i}"), "y-1"], stored.Order());
        Assert.Single(fixture.Host.Logs.Entries, e => e.EventId.Id == 2105 && e.Message.Contains(w.ChannelId, StringComparison.Ordinal));
        fixture.Host.AssertNoUnexpectedErrors();
    }

    // ---- helpers ----

    /// <summary>A private text message from <paramref name="user"/> (also the chat id) with new ids.</summary>
    private static JsonObject Update(long updateId, string user, string text)
    {
        var update = TelegramPipelineTests.WithIds(TelegramPipelineTests.Payload("private_text"), updateId, updateId % 1_000_000, text);
        update["message"]!["from"]!["id"] = long.Parse(user, CultureInfo.InvariantCulture);
        update["message"]!["chat"]!["id"] = long.Parse(user, CultureInfo.InvariantCulture);
        return update;
    }

    private static Task<(HttpStatusCode Status, string Body)> PostRawAsync(Setup t, HttpContent content) =>
        PostRawAsync(t.Kernel, t.ChannelId, content, TelegramPipelineTests.Secret);

    private static async Task<(HttpStatusCode Status, string Body)> PostRawAsync(KernelHost k, string channelId, HttpContent content, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(k.HttpAddress, "/webhooks/" + channelId)) { Content = content };
        content.Headers.ContentType ??= new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertNothingStoredAsync(Setup t)
    {
        Assert.Equal(0, await t.CountAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId)));
        Assert.Equal(0, await t.CountAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));
        Assert.Equal(0, await t.CountAsync(db => db.Messages.CountAsync(x => x.TenantId == t.TenantId)));
    }

    /// <summary>The kernel is still up: a normal message from another sender is accepted and answered.</summary>
    private static async Task AssertTelegramServesAnotherSenderAsync(Setup t, int expectedReplies)
    {
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Update(734_200_001, Bob, "still there?")));
        await t.WaitForRepliesAsync(Bob, expectedReplies);
        Assert.Equal("echo: still there?", Assert.Single(t.CallsTo(Bob)).Parameter("text"));
        t.AssertNoUnexpectedErrors();
    }

    private static async Task AssertGenericServesAsync(GenericWebhookChannel w, string sender)
    {
        var (status, _, _) = await w.PostAsync(GenericWebhookChannel.Message("ok-" + sender, sender, "still there?"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        await Eventually.TrueAsync(() => w.RepliesTo(sender).Count > 0, $"the reply to {sender}");
        Assert.Equal("echo: still there?", Assert.Single(w.RepliesTo(sender)));
    }

    private static async Task<int> CountInboundAsync(KernelHost k, string channelId) => (await InboundIdsAsync(k, channelId)).Count;

    private static async Task<List<string>> InboundIdsAsync(KernelHost k, string channelId)
    {
        await using var scope = k.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScale.Kernel.Persistence.ClawScaleDbContext>();
        return await db.InboundEvents.Where(e => e.ChannelId == channelId).Select(e => e.ProviderMessageId).ToListAsync();
    }
}
