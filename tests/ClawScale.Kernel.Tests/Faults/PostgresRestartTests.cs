using System.Globalization;
using System.Net;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Protos.V1;
using Xunit.Abstractions;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// PostgreSQL stopped and started again under a load of webhooks, on a cluster of the test's own: meanwhile the
/// platform is answered 503 with Retry-After (so it re-sends), and afterwards the kernel recovers by itself: every
/// update is acknowledged and answered exactly once, and the kernel stays up throughout.
/// </summary>
[Collection(FaultTests.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task PostgreSQL_restarted_under_load_webhooks_get_503_with_Retry_After_and_the_kernel_recovers_and_answers_everything()
    {
        FaultTests.SkipWithoutPostgres();
        await using var cluster = await PostgresCluster.CreateAsync();
        var connectionString = await cluster.CreateDatabaseAsync("clawscale_faults");
        await using var fake = await FakeTelegramBotApi.StartAsync(FaultBot.BotToken);
        var data = FaultTests.NewDirectory("clawscale-faults-pg-");
        try
        {
            await using var kernel = await KernelProcess.StartAsync("K", connectionString, data, FaultTests.NewAdminKey(), FaultTests.Settings());
            var bot = await FaultBot.CreateAsync(kernel, fake, echoDelayMs: 20);
            var plan = PlannedUpdate.Plan(chats: 30, perChat: 10);
            var sender = new TelegramUpdateSender(plan, _ => kernel.Webhook(bot.ChannelId), FaultBot.Secret, maxInFlight: 16, rate: 60);
            var run = sender.RunAsync(TimeSpan.FromSeconds(50));

            await Eventually.TrueAsync(() => sender.AcknowledgedCount >= 90 && fake.CallsTo("sendMessage").Count >= 30, "90 acknowledged updates and 30 replies before the restart", TimeSpan.FromSeconds(30));
            var stoppingAt = DateTimeOffset.UtcNow;
            await cluster.StopAsync();
            // The platform keeps sending while the database is down; wait until it has been refused a few times.
            await Eventually.TrueAsync(() => sender.Attempts.Count(a => a.Status == 503) >= 10, "ten webhooks answered 503 while PostgreSQL is down", TimeSpan.FromSeconds(20));
            await cluster.StartAsync();
            var startedAt = DateTimeOffset.UtcNow;

            await run;
            await bot.WaitForRepliesAsync(plan, TimeSpan.FromSeconds(40));
            await bot.WaitIdleAsync(kernel, TimeSpan.FromSeconds(30));

            var errors = kernel.Errors();
            output.WriteLine($"PostgreSQL down from {stoppingAt:HH:mm:ss.fff} to {startedAt:HH:mm:ss.fff}; webhook answers: {sender.Summary()}; " +
                             $"replies sent twice: {bot.DeliveredByText().Count(kv => kv.Value.Count > 1)} of {plan.Count}; " +
                             $"send outcomes stored on a later try: {kernel.Logs.Count(e => e.EventId == 3008)}; kernel error log entries: {errors.Count}:");
            foreach (var kind in errors.GroupBy(e => $"{e.Category}[{e.EventId}]").OrderBy(g => g.Key))
                output.WriteLine($"  {kind.Key} ×{kind.Count()}");

            // The kernel stayed up and is healthy again without anyone touching it.
            Assert.False(kernel.HasExited);
            Assert.Equal(HttpStatusCode.OK, await kernel.HealthAsync());

            // What the platform saw: 2xx, or 503 with a Retry-After in seconds; never a dropped connection or another error.
            var refused = sender.Attempts.Where(a => !a.Acknowledged).ToList();
            Assert.All(refused, a =>
            {
                Assert.True(a.Status == 503, $"Webhook answered {a.Status?.ToString(CultureInfo.InvariantCulture) ?? a.Error} at {a.AnsweredAt:O}; expected 2xx or 503.");
                Assert.True(int.TryParse(a.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0, $"503 without a Retry-After in seconds: '{a.RetryAfter}'.");
            });
            Assert.All(refused, a => Assert.True(a.AnsweredAt >= stoppingAt, $"A webhook was refused at {a.AnsweredAt:O}, before PostgreSQL was stopped at {stoppingAt:O}."));

            // Everything acknowledged is answered; nothing else.
            var delivered = bot.DeliveredByText();
            var planned = plan.Select(u => u.Reply).ToHashSet();
            Assert.True(delivered.Keys.All(planned.Contains), "The platform got replies to nothing it sent: " + string.Join(", ", delivered.Keys.Where(t => !planned.Contains(t))));
            Assert.All(plan, u => Assert.Contains(u.Reply, delivered.Keys));
            var turns = await bot.TurnsAsync(kernel);
            Assert.Equal(plan.Count, turns.Count);
            Assert.All(turns, t => Assert.Equal(TurnStatus.Completed, t.Status));
            output.WriteLine($"Turns run again after their lease ran out (the outage lost their completion): {turns.Count(t => t.Attempts > 1)}.");
            var deliveries = await bot.DeliveriesAsync(kernel);
            Assert.Equal(plan.Count, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));

            // Exactly once: a reply sent while the database went away is recorded as delivered once it is back (the kernel
            // keeps the outcome until its lease ends), so nothing is sent again.
            var duplicates = delivered.Where(kv => kv.Value.Count > 1).Select(kv => $"{kv.Key} ×{kv.Value.Count}").ToList();
            Assert.True(duplicates.Count == 0, $"Sent more than once: {string.Join(", ", duplicates)}.");

            // Every error the kernel logged was the database going away (EF Core's own reports of those failures included).
            Assert.All(errors, e => Assert.True(IsDatabaseOutage(e), $"Not a database error: {e}"));
        }
        finally
        {
            FaultTests.DeleteDirectory(data);
        }
    }

    private static bool IsDatabaseOutage(KernelLogEntry entry) =>
        entry.Category.StartsWith("Microsoft.EntityFrameworkCore.", StringComparison.Ordinal)
        || entry.Exception?.Contains("Npgsql", StringComparison.Ordinal) == true;
}
