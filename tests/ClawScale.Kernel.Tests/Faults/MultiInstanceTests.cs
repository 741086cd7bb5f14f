using System.Text.RegularExpressions;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Protos.V1;
using Xunit.Abstractions;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// Two kernel processes on one PostgreSQL database, the platform's webhooks arriving at both (each chat's messages
/// alternate between them): both run turns and both send replies, every update is answered exactly once, and each
/// chat's replies come in the order of its messages. (DeliveryMultiInstanceTests covers deliveries enqueued directly;
/// this is the whole pipeline, turns included.)
/// </summary>
/// <remarks>
/// Which process did what is read from the plugins' own Debug logs, which each process writes to its stdout: the echo
/// agent's "Echoing turn {TurnId}" and the Telegram adapter's "Bot API sendMessage succeeded".
/// </remarks>
[Collection(FaultTests.Name)]
public sealed partial class MultiInstanceTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Two_kernels_on_one_database_share_turns_and_deliveries_and_answer_every_update_once_in_chat_order()
    {
        FaultTests.SkipWithoutPostgres();
        await using var database = await TestDatabase.PostgresAsync();
        await using var fake = await FakeTelegramBotApi.StartAsync(FaultBot.BotToken);
        var dataA = FaultTests.NewDirectory("clawscale-faults-a-");
        var dataB = FaultTests.NewDirectory("clawscale-faults-b-");
        var keys = FaultTests.NewDirectory("clawscale-faults-keys-");
        try
        {
            var settings = FaultTests.Settings();
            // Instances sharing a database share the Data Protection key ring (README: ClawScale:KeysDirectory).
            settings["ClawScale:KeysDirectory"] = keys;
            // Nothing crashes here: a long lease, so that a machine slowed down by other work cannot make a claim expire.
            settings["ClawScale:Pipeline:LeaseDuration"] = "00:00:30";
            settings["Logging:LogLevel:ClawScale.Agents"] = "Debug";
            settings["Logging:LogLevel:ClawScale.Channels"] = "Debug";
            var adminKey = FaultTests.NewAdminKey();
            await using var a = await KernelProcess.StartAsync("A", database.ConnectionString!, dataA, adminKey, settings);
            await using var b = await KernelProcess.StartAsync("B", database.ConnectionString!, dataB, adminKey, settings);
            var bot = await FaultBot.CreateAsync(a, fake, echoDelayMs: 10);
            var plan = PlannedUpdate.Plan(chats: 40, perChat: 10);
            var sender = new TelegramUpdateSender(plan, u => (u.ChatId + u.MessageId) % 2 == 0 ? a.Webhook(bot.ChannelId) : b.Webhook(bot.ChannelId), FaultBot.Secret, maxInFlight: 16, rate: 150);

            await sender.RunAsync(TimeSpan.FromSeconds(40));
            await bot.WaitForRepliesAsync(plan, TimeSpan.FromSeconds(40));
            await bot.WaitIdleAsync(a, TimeSpan.FromSeconds(20));

            // Both webhooks took updates, and every update was acknowledged at the first try.
            Assert.All(sender.Attempts, attempt => Assert.True(attempt.Acknowledged, $"{attempt.Target} answered {attempt.Status} {attempt.Error}"));
            var perInstance = sender.Attempts.GroupBy(x => x.Target.Port).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(plan.Count / 2, perInstance[a.HttpAddress.Port]);
            Assert.Equal(plan.Count / 2, perInstance[b.HttpAddress.Port]);

            // Exactly once each, in each chat's order, although consecutive messages of a chat went to different kernels.
            var delivered = bot.DeliveredByText();
            Assert.Equal(plan.Count, delivered.Count);
            Assert.All(plan, u => Assert.Single(delivered[u.Reply]));
            var okSends = fake.CallsTo("sendMessage").Where(c => c.ErrorCode is null).ToList();
            Assert.Equal(plan.Count, okSends.Count);
            foreach (var chat in plan.GroupBy(u => u.ChatId))
            {
                var id = chat.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(chat.OrderBy(u => u.Sequence).Select(u => u.Reply), okSends.Where(c => c.Parameter("chat_id") == id).Select(c => c.Parameter("text")));
            }

            // The work was shared: both processes ran turns and sent replies, and no turn ran twice.
            var turnsA = EchoedTurns(a);
            var turnsB = EchoedTurns(b);
            var sendsA = SuccessfulSends(a);
            var sendsB = SuccessfulSends(b);
            output.WriteLine($"Turns run: A {turnsA.Count}, B {turnsB.Count}; replies sent: A {sendsA}, B {sendsB}.");
            Assert.NotEmpty(turnsA);
            Assert.NotEmpty(turnsB);
            var allTurns = turnsA.Concat(turnsB).ToList();
            var twice = turnsA.Select(t => "A " + t).Concat(turnsB.Select(t => "B " + t)).GroupBy(x => x[2..]).Where(g => g.Count() > 1).Select(g => string.Join(" and ", g)).ToList();
            Assert.True(twice.Count == 0, "Turns the echo agent ran twice: " + string.Join("; ", twice));
            Assert.Equal(plan.Count, allTurns.Count);
            Assert.True(sendsA > 0 && sendsB > 0, $"Replies sent: A {sendsA}, B {sendsB}; expected both to send.");
            Assert.Equal(plan.Count, sendsA + sendsB);

            // The books: one turn per update, each completed; one delivery per reply, each delivered.
            var turns = await bot.TurnsAsync(b);
            Assert.Equal(allTurns.ToHashSet(), turns.Select(t => t.Id).ToHashSet());
            Assert.All(turns, t => Assert.Equal(TurnStatus.Completed, t.Status));
            var deliveries = await bot.DeliveriesAsync(b);
            Assert.Equal(plan.Count, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
            Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
            a.AssertNoUnexpectedErrors();
            b.AssertNoUnexpectedErrors();
        }
        finally
        {
            FaultTests.DeleteDirectory(dataA);
            FaultTests.DeleteDirectory(dataB);
            FaultTests.DeleteDirectory(keys);
        }
    }

    /// <summary>Turn ids the echo agent of <paramref name="kernel"/> answered (its Debug entry "Echoing turn {TurnId} as …").</summary>
    private static List<string> EchoedTurns(KernelProcess kernel) =>
        kernel.Logs.Where(e => e.Category.StartsWith("ClawScale.Agents.echo.", StringComparison.Ordinal))
            .Select(e => EchoingTurn().Match(e.Message))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();

    /// <summary>sendMessage calls the Telegram adapter of <paramref name="kernel"/> completed (its Debug entry "Bot API sendMessage succeeded").</summary>
    private static int SuccessfulSends(KernelProcess kernel) =>
        kernel.Logs.Count(e => e.Category.StartsWith("ClawScale.Channels.telegram.", StringComparison.Ordinal) && e.Message.StartsWith("Bot API sendMessage succeeded", StringComparison.Ordinal));

    [GeneratedRegex(@"^Echoing turn (\S+) as ")]
    private static partial Regex EchoingTurn();
}
