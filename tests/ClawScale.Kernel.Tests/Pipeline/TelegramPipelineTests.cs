using ClawScale.Kernel.Pipeline.Dispatch;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Protos.V1;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// The whole message pipeline with Telegram, end to end: documented Update payloads POSTed to the real kernel's
/// <c>/webhooks/{channelId}</c> (or served by getUpdates), the real Telegram plugin from plugins.json, the echo agent,
/// a real database, and a fake Bot API on 127.0.0.1 that records what the kernel sends.
/// </summary>
public abstract class TelegramPipelineTests(TelegramKernelFixture fixture)
{
    /// <summary>A token in BotFather's shape; its bot id is the one the payloads' forum topic was created by.</summary>
    private const string BotToken = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    internal const string Secret = "wh_secret-0123456789abcdef";
    private const string AdaChat = "111111111";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public async Task Private_message_gets_one_quoted_echo_reply()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Payload("private_text")));

        var send = Assert.Single(await t.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal("echo: Hello, can you summarise my notes?", send.Parameter("text"));
        Assert.Equal(1365, ReplyTo(send));
        Assert.Null(send.Parameter("message_thread_id"));
        await t.AssertNoMoreRepliesAsync(AdaChat, 1);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Forum_topic_reply_stays_in_its_topic()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        // The documented forum message, addressed to the bot with a mention (in groups only such messages get answers).
        var update = Payload("forum_topic");
        update["message"]!["text"] = "@yourbot Invoices for March are missing";
        update["message"]!["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = 8, ["type"] = "mention" });
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(update));

        var send = Assert.Single(await t.WaitForRepliesAsync("-1002233445566", 1));
        Assert.Equal("echo: Invoices for March are missing", send.Parameter("text"));
        Assert.Equal("42", send.Parameter("message_thread_id"));
        Assert.Equal(57, ReplyTo(send));
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Group_message_without_a_mention_is_not_answered_and_a_mention_is()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        const string group = "-1001987654321";
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Payload("group_no_mention")));
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Payload("group_mention")));

        // The mention is answered; the message before it in the same chat was never accepted, so it cannot be.
        var send = Assert.Single(await t.WaitForRepliesAsync(group, 1));
        Assert.Equal("echo: what is the weather in Paris?", send.Parameter("text"));
        Assert.Equal(2001, ReplyTo(send));
        Assert.Equal(0, await t.CountAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId && e.ProviderMessageId == "734012003")));
        Assert.Equal(1, await t.CountAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));
        await t.AssertNoMoreRepliesAsync(group, 1);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Same_update_delivered_twice_is_answered_once()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        var update = Payload("private_text");
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(update));
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(update)); // Telegram's redelivery is acknowledged too

        await t.WaitForRepliesAsync(AdaChat, 1);
        Assert.Equal(1, await t.CountAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId)));
        Assert.Equal(1, await t.CountAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));
        await t.AssertNoMoreRepliesAsync(AdaChat, 1);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Flood_control_429_is_retried_after_retry_after_and_delivered_once()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        t.Fake.FailNextSends(1, 429, "Too Many Requests: retry after 2", retryAfter: 2);
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Payload("private_text")));

        var sends = await t.WaitForCallsToAsync(AdaChat, 2);
        Assert.Equal(2, sends.Count);
        var waited = sends[1].ReceivedAt - sends[0].ReceivedAt;
        Assert.True(waited >= TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1), $"The retry came {waited.TotalMilliseconds:0} ms after the 429 asking for 2 s.");
        Assert.Equal(sends[0].Parameter("text"), sends[1].Parameter("text"));

        var delivery = await t.WaitForDeliveryAsync(DeliveryStatus.Delivered);
        Assert.Equal(2, delivery.Attempts);
        Assert.NotEmpty(delivery.ProviderMessageId);
        await t.AssertNoMoreRepliesAsync(AdaChat, 2);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task A_reply_to_a_chat_whose_earlier_reply_waits_for_a_retry_goes_out_after_it()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        t.Fake.FailNextSends(1, 429, "Too Many Requests: retry after 2", retryAfter: 2);
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(WithIds(Payload("private_text"), 734012501, 1700, "first")));
        await t.WaitForCallsToAsync(AdaChat, 1);

        // The first reply's delivery is unfinished (waiting for its retry): the second reply must queue behind it
        // instead of being handed to DELIVER at once.
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(WithIds(Payload("private_text"), 734012502, 1701, "second")));
        var sends = await t.WaitForCallsToAsync(AdaChat, 3);
        Assert.Equal(["echo: first", "echo: first", "echo: second"], sends.Take(3).Select(x => x.Parameter("text")));
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Blocked_bot_403_is_a_dead_letter_that_RetryDelivery_revives()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        t.Fake.FailAllSends(403, "Forbidden: bot was blocked by the user");
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Payload("private_text")));

        var dead = await t.WaitForDeliveryAsync(DeliveryStatus.Dead);
        Assert.Equal(1, dead.Attempts); // permanent: not retried
        Assert.Contains("blocked", dead.LastError, StringComparison.Ordinal);
        Assert.Single(t.Fake.CallsTo("sendMessage"));

        t.Fake.HealSends();
        var revived = (await t.Kernel.Admin.RetryDeliveryAsync(new RetryDeliveryRequest { DeliveryId = dead.Id }, t.Kernel.AdminAuth)).Delivery;
        Assert.Equal(dead.DeliveryRouteId, revived.DeliveryRouteId);
        var delivered = await t.WaitForDeliveryAsync(DeliveryStatus.Delivered);
        Assert.Equal(dead.Id, delivered.Id);
        var sends = await t.WaitForCallsToAsync(AdaChat, 2);
        Assert.Equal("echo: Hello, can you summarise my notes?", sends[1].Parameter("text"));
        await t.AssertNoMoreRepliesAsync(AdaChat, 2);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("not-the-secret")]
    public async Task Missing_or_wrong_secret_token_is_401_and_nothing_is_stored(string? presented)
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        Assert.Equal(HttpStatusCode.Unauthorized, await t.PostAsync(Payload("private_text"), presented));

        Assert.Equal(0, await t.CountAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId)));
        Assert.Equal(0, await t.CountAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));
        Assert.Equal(0, await t.CountAsync(db => db.Messages.CountAsync(x => x.TenantId == t.TenantId)));
        // The next, genuine update is answered, and it is the only answer.
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(WithIds(Payload("private_text"), 734012101, 1366, "second")));
        var send = Assert.Single(await t.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal("echo: second", send.Parameter("text"));
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Help_is_answered_by_the_kernel_without_the_agent()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        var update = WithIds(Payload("private_text"), 734012201, 1400, "/help");
        update["message"]!["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = 5, ["type"] = "bot_command" });
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(update));

        var send = Assert.Single(await t.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal(KernelCommands.HelpText, send.Parameter("text"));
        Assert.Equal(1400, ReplyTo(send));
        // The reply was written by the kernel (role system), and no agent reply exists.
        Assert.Equal(0, await t.CountAsync(db => db.Messages.CountAsync(m => m.TenantId == t.TenantId && m.Role == MessageRoleValue.Agent)));
        Assert.Equal(1, await t.CountAsync(db => db.Messages.CountAsync(m => m.TenantId == t.TenantId && m.Role == MessageRoleValue.System)));
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task New_resets_the_conversation_memory_before_the_next_message()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(WithIds(Payload("private_text"), 734012301, 1500, "remember the number 7")));
        await t.WaitForRepliesAsync(AdaChat, 1);
        Assert.Null(await t.CountAsync(db => db.Conversations.Where(c => c.TenantId == t.TenantId).Select(c => c.MemoryResetAt).SingleAsync()));

        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(WithIds(Payload("private_text"), 734012302, 1501, "/new")));
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(WithIds(Payload("private_text"), 734012303, 1502, "what number?")));
        var sends = await t.WaitForRepliesAsync(AdaChat, 3);
        Assert.Equal(["echo: remember the number 7", "Started a new conversation: earlier messages are forgotten.", "echo: what number?"], sends.Select(s => s.Parameter("text")));

        var resetAt = await t.CountAsync(db => db.Conversations.Where(c => c.TenantId == t.TenantId).Select(c => c.MemoryResetAt).SingleAsync());
        Assert.NotNull(resetAt);
        // Everything the agent could see as history of "what number?" starts at /new: the earlier exchange is before it.
        var before = await t.CountAsync(db => db.Messages.CountAsync(m => m.TenantId == t.TenantId && m.CreatedAt < resetAt));
        Assert.Equal(2, before); // "remember the number 7" and its echo
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Polling_mode_answers_a_queued_update_and_confirms_its_offset()
    {
        await using var t = await Setup.StartAsync(fixture.Host, polling: true);
        var update = WithIds(Payload("private_text"), 734012401, 1600, "polled hello");
        t.Fake.EnqueueUpdate(update.ToJsonString());

        var send = Assert.Single(await t.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal("echo: polled hello", send.Parameter("text"));
        Assert.Equal(1600, ReplyTo(send));
        await Until(() => Task.FromResult(t.Fake.CallsTo("getUpdates").Any(c => c.Parameter("offset") == "734012402")), "getUpdates with offset 734012402");
        Assert.Empty(t.Fake.PendingUpdateIds);
        Assert.NotEmpty(t.Fake.CallsTo("deleteWebhook"));

        // Archiving the channel stops its listener: the open long poll is abandoned and no new one starts. (Observed for
        // 1.5 s, longer than the 1 s long-poll timeout after which a still-running listener would call again.)
        await t.Kernel.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = t.ChannelId, Status = ChannelStatus.Archived }, t.Kernel.AdminAuth);
        await Until(() => Task.FromResult(t.Fake.ActiveGetUpdates == 0), "the open getUpdates to end");
        var polls = t.Fake.CallsTo("getUpdates").Count;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(polls, t.Fake.CallsTo("getUpdates").Count);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Kernel_stopped_right_after_accept_answers_once_after_a_restart_on_the_same_database()
    {
        var database = await fixture.CreateDatabaseAsync();
        Skip.If(database is null, "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).");
        var dataDirectory = Directory.CreateTempSubdirectory("clawscale-restart-").FullName;
        try
        {
            var first = await KernelHost.StartAsync(database.Borrow(), TelegramKernelFixture.Settings, dataDirectory);
            // The agent takes 1.5 s, so the first kernel is stopped in the middle of the turn, long before any send.
            await using var t = await Setup.StartAsync(first, echoDelayMs: 1500);
            Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Payload("private_text")));
            await first.DisposeAsync();
            Assert.Empty(t.Fake.CallsTo("sendMessage"));

            await using var second = await KernelHost.StartAsync(database, TelegramKernelFixture.Settings, dataDirectory);
            t.Kernel = second;
            try
            {
                await t.WaitForRepliesAsync(AdaChat, 1);
            }
            catch (Xunit.Sdk.XunitException)
            {
                var turns = await t.CountAsync(db => db.Turns.AsNoTracking().Where(x => x.TenantId == t.TenantId).Select(x => $"{x.Status} {x.ClaimedUntil:O} a{x.Attempts} {x.LastError}").ToListAsync());
                var deliveries = await t.CountAsync(db => db.OutboundDeliveries.AsNoTracking().Where(x => x.TenantId == t.TenantId).Select(x => $"{x.Status} {x.ClaimedUntil:O} a{x.Attempts} {x.LastError}").ToListAsync());
                Assert.Fail($"No reply after the restart. Turns: {string.Join("; ", turns)}. Deliveries: {string.Join("; ", deliveries)}. Sends: {t.Fake.CallsTo("sendMessage").Count}");
            }

            var send = Assert.Single(t.CallsTo(AdaChat));
            Assert.Equal("echo: Hello, can you summarise my notes?", send.Parameter("text"));
            Assert.Equal(1365, ReplyTo(send));
            await t.AssertNoMoreRepliesAsync(AdaChat, 1);
            Assert.Single(t.Fake.CallsTo("sendMessage")); // across both kernels
            Assert.Equal(1, await t.CountAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));
            first.AssertNoUnexpectedErrors();
            t.AssertNoUnexpectedErrors();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    // ---- helpers ----

    internal static JsonObject Payload(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Telegram", name + ".json"), Encoding.UTF8))!.AsObject();

    /// <summary>A private_text-like update with new ids and text.</summary>
    internal static JsonObject WithIds(JsonObject update, long updateId, long messageId, string text)
    {
        update["update_id"] = updateId;
        update["message"]!["message_id"] = messageId;
        update["message"]!["text"] = text;
        return update;
    }

    private static long? ReplyTo(FakeTelegramCall send) =>
        send.Parameter("reply_parameters") is { } json ? JsonNode.Parse(json)!["message_id"]!.GetValue<long>() : null;

    internal static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>One test's world: a fake Bot API, a tenant with an echo agent bound by default, and a Telegram channel.</summary>
    internal sealed class Setup : IAsyncDisposable
    {
        private static readonly HttpClient Http = new();

        private Setup(KernelHost kernel, FakeTelegramBotApi fake, string tenantId, string channelId)
        {
            Kernel = kernel;
            Fake = fake;
            TenantId = tenantId;
            ChannelId = channelId;
        }

        public KernelHost Kernel { get; set; }
        public FakeTelegramBotApi Fake { get; }
        public string TenantId { get; }
        public string ChannelId { get; }

        public static async Task<Setup> StartAsync(KernelHost kernel, bool polling = false, int echoDelayMs = 0)
        {
            var fake = await FakeTelegramBotApi.StartAsync(BotToken);
            var (tenant, _) = await kernel.CreateTenantAsync();
            var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenant.Id, Name = "echo", Kind = "echo", Config = { ["delay_ms"] = echoDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) } }, kernel.AdminAuth)).Agent;
            await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = tenant.Id, AgentId = agent.Id }, kernel.AdminAuth);
            var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
            {
                TenantId = tenant.Id,
                Kind = "telegram",
                DisplayName = "Support bot",
                Config = { ["mode"] = polling ? "polling" : "webhook", ["api_base_url"] = fake.BaseUrl.ToString().TrimEnd('/'), ["polling_timeout_seconds"] = "1" },
                Credentials = { ["bot_token"] = BotToken },
                WebhookSecret = Secret,
            }, kernel.AdminAuth)).Channel;
            var setup = new Setup(kernel, fake, tenant.Id, channel.Id);
            if (!polling)
            {
                // Telegram sends updates only once the webhook is set: wait for the kernel to connect the channel.
                await Until(() => Task.FromResult(fake.WebhookUrl is not null), "setWebhook");
                Assert.EndsWith("/webhooks/" + channel.Id, fake.WebhookUrl, StringComparison.Ordinal);
                Assert.Equal(Secret, fake.WebhookSecretToken);
            }

            return setup;
        }

        /// <summary>POSTs an update the way Telegram does, with the secret token header (none when <paramref name="secret"/> is null).</summary>
        public Task<HttpStatusCode> PostAsync(JsonObject update, string? secret = Secret) => PostAsync(Kernel, ChannelId, update, secret);

        public static async Task<HttpStatusCode> PostAsync(KernelHost kernel, string channelId, JsonObject update, string? secret = Secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(kernel.HttpAddress, "/webhooks/" + channelId))
            {
                Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
            using var response = await Http.SendAsync(request);
            return response.StatusCode;
        }

        /// <summary>Every send attempt to <paramref name="chatId"/> (successful or not), in order.</summary>
        public IReadOnlyList<FakeTelegramCall> CallsTo(string chatId) => Fake.CallsTo("sendMessage").Where(c => c.Parameter("chat_id") == chatId).ToList();

        /// <summary>Waits until <paramref name="count"/> send attempts reached <paramref name="chatId"/>.</summary>
        public async Task<IReadOnlyList<FakeTelegramCall>> WaitForCallsToAsync(string chatId, int count)
        {
            await Until(() => Task.FromResult(CallsTo(chatId).Count >= count), $"{count} sendMessage calls to {chatId}");
            return CallsTo(chatId);
        }

        /// <summary>Waits until <paramref name="count"/> deliveries to <paramref name="chatId"/> are recorded as delivered, then returns the sends.</summary>
        public async Task<IReadOnlyList<FakeTelegramCall>> WaitForRepliesAsync(string chatId, int count)
        {
            await Until(async () => await DeliveredCountAsync() >= count, $"{count} delivered replies");
            return CallsTo(chatId);
        }

        /// <summary>
        /// Asserts no further send reaches <paramref name="chatId"/>: every delivery of the tenant is finished (nothing
        /// pending, sending or failed) and no turn is still open, and the chat got exactly <paramref name="expected"/> calls.
        /// </summary>
        public async Task AssertNoMoreRepliesAsync(string chatId, int expected)
        {
            await Until(async () => await CountAsync(db => db.Turns.CountAsync(x => x.TenantId == TenantId && x.Status != TurnStatusValue.Completed && x.Status != TurnStatusValue.Failed)) == 0
                && await CountAsync(db => db.OutboundDeliveries.CountAsync(d => d.TenantId == TenantId && d.Status != DeliveryStatusValue.Delivered && d.Status != DeliveryStatusValue.Dead)) == 0,
                "the tenant's pipeline to be idle");
            Assert.Equal(expected, CallsTo(chatId).Count);
        }

        public Task<int> DeliveredCountAsync() =>
            CountAsync(db => db.OutboundDeliveries.CountAsync(d => d.TenantId == TenantId && d.Status == DeliveryStatusValue.Delivered));

        /// <summary>The tenant's single delivery once it has <paramref name="status"/> (through AdminService.ListDeliveries).</summary>
        public async Task<Protos.V1.Delivery> WaitForDeliveryAsync(DeliveryStatus status)
        {
            Protos.V1.Delivery? found = null;
            await Until(async () =>
            {
                var page = await Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = TenantId, Status = status }, Kernel.AdminAuth);
                found = page.Deliveries.SingleOrDefault();
                return found is not null;
            }, $"a {status} delivery");
            return found!;
        }

        public async Task<T> CountAsync<T>(Func<ClawScaleDbContext, Task<T>> query)
        {
            await using var scope = Kernel.App.Services.CreateAsyncScope();
            return await query(scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>());
        }

        /// <summary>Errors are failures unless they are about the fake's scripted refusals.</summary>
        public void AssertNoUnexpectedErrors() => Kernel.AssertNoUnexpectedErrors(m => m.Contains("dead letter", StringComparison.OrdinalIgnoreCase));

        public async ValueTask DisposeAsync()
        {
            try
            {
                // Stop the channel (a polling listener would otherwise keep calling the stopped fake).
                await Kernel.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = ChannelId, Status = ChannelStatus.Archived }, Kernel.AdminAuth);
            }
            catch (Exception ex) when (ex is global::Grpc.Core.RpcException or ObjectDisposedException)
            {
                // The kernel is already stopped (restart tests).
            }

            await Fake.DisposeAsync();
        }
    }
}

/// <summary>One kernel per test class: fast polling, short backoff, a public base URL so that webhook mode can connect.</summary>
public abstract class TelegramKernelFixture : IAsyncLifetime
{
    private KernelHost? _host;

    internal static readonly Dictionary<string, string?> Settings = new()
    {
        ["ClawScale:PublicBaseUrl"] = "https://gateway.example.test",
        ["ClawScale:Pipeline:PollInterval"] = "00:00:00.050",
        ["ClawScale:Pipeline:DeliveryMaxAttempts"] = "5",
        ["ClawScale:Pipeline:RetryBaseDelay"] = "00:00:00.200",
        ["ClawScale:Pipeline:RetryMaxDelay"] = "00:00:01",
    };

    public string? SkipReason { get; private set; }

    public KernelHost Host
    {
        get
        {
            Skip.If(SkipReason is not null, SkipReason);
            return _host!;
        }
    }

    /// <summary>A new database of this fixture's kind, or null when it is not available here.</summary>
    public abstract Task<TestDatabase?> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        if (database is null)
        {
            SkipReason = "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).";
            return;
        }

        _host = await KernelHost.StartAsync(database, Settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

public sealed class SqliteTelegramKernelFixture : TelegramKernelFixture
{
    public override Task<TestDatabase?> CreateDatabaseAsync() => Task.FromResult<TestDatabase?>(TestDatabase.Sqlite());
}

public sealed class PostgresTelegramKernelFixture : TelegramKernelFixture
{
    public override async Task<TestDatabase?> CreateDatabaseAsync() =>
        TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES") ? null : await TestDatabase.PostgresAsync();
}

public sealed class TelegramPipelineSqliteTests(SqliteTelegramKernelFixture fixture) : TelegramPipelineTests(fixture), IClassFixture<SqliteTelegramKernelFixture>;

public sealed class TelegramPipelinePostgresTests(PostgresTelegramKernelFixture fixture) : TelegramPipelineTests(fixture), IClassFixture<PostgresTelegramKernelFixture>;
