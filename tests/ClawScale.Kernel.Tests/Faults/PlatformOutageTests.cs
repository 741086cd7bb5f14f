using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Protos.V1;
using Xunit.Abstractions;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// The Bot API failing for a while under load, first with 500 Internal Server Error, then with 429 flood control
/// (Telegram's shape: <c>{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 2","parameters":{"retry_after":2}}</c>):
/// afterwards every reply is delivered exactly once, in each chat's order, and a reply refused with 429 is not tried
/// again before retry_after. (TelegramPipelineTests covers one 429 for one message; DeliveryWorkerTests the retry
/// policy with a fake adapter; this is many chats through a long outage of the real platform API.)
/// </summary>
[Collection(FaultTests.Name)]
public sealed class PlatformOutageTests(ITestOutputHelper output)
{
    private const int RetryAfterSeconds = 2;

    [SkippableFact]
    public async Task Bot_API_answering_500_then_429_for_a_while_gets_every_reply_afterwards_exactly_once_in_chat_order()
    {
        FaultTests.SkipWithoutPostgres();
        await using var database = await TestDatabase.PostgresAsync();
        await using var fake = await FakeTelegramBotApi.StartAsync(FaultBot.BotToken);
        var data = FaultTests.NewDirectory("clawscale-faults-platform-");
        try
        {
            var settings = FaultTests.Settings();
            settings["ClawScale:Pipeline:LeaseDuration"] = "00:00:30"; // nothing crashes here
            await using var kernel = await KernelProcess.StartAsync("K", database.ConnectionString!, data, FaultTests.NewAdminKey(), settings);
            var bot = await FaultBot.CreateAsync(kernel, fake);
            const int chats = 20;
            var plan = PlannedUpdate.Plan(chats, perChat: 10);
            var firstHalf = plan.Take(plan.Count / 2).ToList();
            var secondHalf = plan.Skip(plan.Count / 2).ToList();

            // 500s: every chat's first reply is retried with backoff; the replies behind it wait their turn.
            fake.FailAllSends(500, "Internal Server Error");
            await new TelegramUpdateSender(firstHalf, _ => kernel.Webhook(bot.ChannelId), FaultBot.Secret, maxInFlight: 16, rate: 0).RunAsync(TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(() => EveryChatRefused(bot, chats, 500, times: 2), "every chat's reply refused twice with 500", TimeSpan.FromSeconds(20));

            // Then flood control, while the second half of the updates arrives.
            fake.FailAllSends(429, $"Too Many Requests: retry after {RetryAfterSeconds}", retryAfter: RetryAfterSeconds);
            await new TelegramUpdateSender(secondHalf, _ => kernel.Webhook(bot.ChannelId), FaultBot.Secret, maxInFlight: 16, rate: 0).RunAsync(TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(() => EveryChatRefused(bot, chats, 429, times: 2), "every chat's reply refused twice with 429", TimeSpan.FromSeconds(20));

            fake.HealSends();
            await bot.WaitForRepliesAsync(plan, TimeSpan.FromSeconds(30));
            await bot.WaitIdleAsync(kernel, TimeSpan.FromSeconds(20));

            // Exactly once each, and in each chat in the order the chat's messages were sent.
            var delivered = bot.DeliveredByText();
            Assert.Equal(plan.Count, delivered.Count);
            Assert.All(plan, u => Assert.Single(delivered[u.Reply]));
            var okSends = fake.CallsTo("sendMessage").Where(c => c.ErrorCode is null).ToList();
            foreach (var chat in plan.GroupBy(u => u.ChatId))
            {
                var id = chat.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(chat.OrderBy(u => u.Sequence).Select(u => u.Reply), okSends.Where(c => c.Parameter("chat_id") == id).Select(c => c.Parameter("text")));
            }

            // A reply refused with 429 is tried again no earlier than retry_after, however often it is refused.
            var attempts = bot.AttemptsByText();
            var after429 = 0;
            foreach (var (text, calls) in attempts)
            {
                for (var i = 1; i < calls.Count; i++)
                {
                    if (calls[i - 1].ErrorCode != 429) continue;
                    after429++;
                    var waited = calls[i].ReceivedAt - calls[i - 1].ReceivedAt;
                    Assert.True(waited >= TimeSpan.FromSeconds(RetryAfterSeconds) - TimeSpan.FromMilliseconds(1),
                        $"'{text}' was tried again {waited.TotalMilliseconds:0} ms after a 429 asking for {RetryAfterSeconds} s.");
                }
            }

            Assert.True(after429 >= chats, $"Only {after429} attempts followed a 429.");

            // The kernel's books agree: every delivery delivered (none a dead letter), after more than one attempt for the
            // replies that met the outage.
            var deliveries = await bot.DeliveriesAsync(kernel);
            Assert.Equal(plan.Count, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
            foreach (var d in deliveries) Assert.Equal(attempts[d.Text].Count, d.Attempts);

            var failures = fake.CallsTo("sendMessage").Where(c => c.ErrorCode is not null).GroupBy(c => c.ErrorCode).Select(g => $"{g.Key}×{g.Count()}");
            output.WriteLine($"sendMessage refused: {string.Join(", ", failures)}; delivered {okSends.Count}; most attempts of one reply: {deliveries.Max(d => d.Attempts)}.");
            // Refused sends are warnings (retried), never errors: nothing became a dead letter.
            kernel.AssertNoUnexpectedErrors();
        }
        finally
        {
            FaultTests.DeleteDirectory(data);
        }
    }

    /// <summary>Whether the fake answered <paramref name="errorCode"/> at least <paramref name="times"/> times in each of the <paramref name="chats"/> chats.</summary>
    private static bool EveryChatRefused(FaultBot bot, int chats, int errorCode, int times)
    {
        var refusedPerChat = bot.Fake.CallsTo("sendMessage").Where(c => c.ErrorCode == errorCode).GroupBy(c => c.Parameter("chat_id")).ToDictionary(g => g.Key ?? "", g => g.Count());
        return refusedPerChat.Count == chats && refusedPerChat.Values.All(n => n >= times);
    }
}
