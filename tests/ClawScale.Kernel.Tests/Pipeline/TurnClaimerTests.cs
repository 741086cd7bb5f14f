using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Accept;
using ClawScale.Kernel.Pipeline.Dispatch;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Routing;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Messages;
using ClawScale.Protos.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// DISPATCH's database claim (<see cref="TurnClaimer"/>) on turns stored by the real ACCEPT stage, with the kernel's
/// own dispatcher removed so nothing else claims them: the head of each conversation is claimed in arrival order, a
/// conversation with more queued turns than one page does not hide the conversations behind it, expired leases are
/// taken over, and concurrent claimers on PostgreSQL never claim the same turn.
/// </summary>
public sealed class TurnClaimerTests
{
    private static readonly string Instance = "claimer-test";

    [Fact]
    public Task Heads_are_claimed_in_order_past_a_long_queue_and_expired_leases_are_taken_over_on_sqlite() => HeadsAsync(TestDatabase.Sqlite());

    [SkippableFact]
    public async Task Heads_are_claimed_in_order_past_a_long_queue_and_expired_leases_are_taken_over_on_postgres()
    {
        Skip.If(TestEnvironment.PostgresConnectionString is null, "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).");
        await HeadsAsync(await TestDatabase.PostgresAsync());
    }

    [SkippableFact]
    public async Task Concurrent_claimers_on_postgres_never_claim_the_same_turn()
    {
        Skip.If(TestEnvironment.PostgresConnectionString is null, "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).");
        await using var database = await TestDatabase.PostgresAsync();
        await using var kernel = await StartWithoutDispatcherAsync(database);
        var accept = await ChannelAsync(kernel);
        // 60 conversations with one turn each.
        await accept(Enumerable.Range(0, 60).Select(i => ($"chat-{i}", $"m-{i}")).ToList());

        // Rounds of four concurrent claimers (limit 25 each) until every turn is claimed: none is claimed twice while
        // its lease runs, and the work is done within a few rounds.
        var now = DateTime.UtcNow;
        var owners = new Dictionary<string, string>();
        for (var round = 0; round < 6 && owners.Count < 60; round++)
        {
            var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            {
                await using var scope = kernel.App.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
                return (Claimer: $"{Instance}-{round}-{i}", (await TurnClaimer.ClaimAsync(db, $"{Instance}-{round}-{i}", now, now.AddMinutes(2), 25, [], CancellationToken.None)).Claimed);
            }));
            foreach (var (claimer, ids) in claims)
            {
                foreach (var id in ids) Assert.True(owners.TryAdd(id, claimer), $"Turn {id} was claimed by {owners.GetValueOrDefault(id)} and again by {claimer}.");
            }
        }

        Assert.Equal(60, owners.Count);
        await using var check = kernel.App.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<ClawScaleDbContext>().Turns.AsNoTracking()
            .Where(t => owners.Keys.Contains(t.Id)).Select(t => new { t.Id, t.ClaimedBy, t.Attempts }).ToListAsync();
        Assert.All(stored, t => Assert.Equal((owners[t.Id], 1), (t.ClaimedBy, t.Attempts)));
    }

    private static async Task HeadsAsync(TestDatabase database)
    {
        await using (database)
        {
            await using var kernel = await StartWithoutDispatcherAsync(database.Borrow());
            var accept = await ChannelAsync(kernel);
            // Conversation A: more queued turns than the claimer reads in one page; then B and C, one turn each.
            var queued = TurnClaimer.PageSize + 44;
            await accept(Enumerable.Range(0, queued).Select(i => ("chat-a", $"a-{i}")).ToList());
            await accept([("chat-b", "b-0")]);
            await accept([("chat-c", "c-0")]);

            await using var scope = kernel.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var turns = await db.Turns.AsNoTracking().OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Select(t => new { t.Id, t.ConversationId, t.Status }).ToListAsync();
            Assert.All(turns, t => Assert.Equal(TurnStatusValue.Pending, t.Status));
            var heads = turns.GroupBy(t => t.ConversationId).Select(g => g.First().Id).ToList();
            Assert.Equal(3, heads.Count);

            var now = DateTime.UtcNow;
            // Limit 2: the two oldest heads (A's first turn, B), and more is waiting (RETURNING has no order).
            var (first, more) = await TurnClaimer.ClaimAsync(db, Instance, now, now.AddMinutes(2), 2, [], CancellationToken.None);
            Assert.Equal(heads.Take(2).Order(), first.Order());
            Assert.True(more);

            // A and B are running: C is the only head left; A's queued turns stay behind A's running turn.
            var (second, stillMore) = await TurnClaimer.ClaimAsync(db, Instance, now, now.AddMinutes(2), 10, [], CancellationToken.None);
            Assert.Equal([heads[2]], second);
            Assert.True(stillMore);
            var (none, _) = await TurnClaimer.ClaimAsync(db, Instance, now, now.AddMinutes(2), 10, [], CancellationToken.None);
            Assert.Empty(none);

            // After the leases expired (the instance died) another instance takes the three heads over (RETURNING has no order).
            var later = now.AddMinutes(3);
            var (takenOver, _) = await TurnClaimer.ClaimAsync(db, Instance + "-2", later, later.AddMinutes(2), 10, [], CancellationToken.None);
            Assert.Equal(heads.Order(), takenOver.Order());
            var rows = await db.Turns.AsNoTracking().Where(t => heads.Contains(t.Id)).ToListAsync();
            Assert.All(rows, t => Assert.Equal((TurnStatusValue.Running, Instance + "-2", 2), (t.Status, t.ClaimedBy, t.Attempts)));
        }
    }

    /// <summary>A kernel whose DISPATCH stage is not running: ACCEPT stores every turn pending and nothing claims it.</summary>
    private static Task<KernelHost> StartWithoutDispatcherAsync(TestDatabase database) =>
        KernelHost.StartAsync(database, new Dictionary<string, string?> { ["ClawScale:Pipeline:SenderMessagesPerMinute"] = "1000000" }, services: services =>
        {
            foreach (var d in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TurnDispatcher)).ToList())
                services.Remove(d);
        });

    /// <summary>A web chat channel and a function accepting (chat, message id) pairs on it, one sender per chat.</summary>
    private static async Task<Func<IReadOnlyList<(string Chat, string Id)>, Task>> ChannelAsync(KernelHost kernel)
    {
        var (tenant, key) = await kernel.CreateTenantAsync();
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "site", Config = { ["title"] = "help" } }, KernelHost.Auth(key))).Channel;
        var handle = new ChannelHandle(channel.Id, tenant.Id, channel.Kind, DetachedChannelAdapter.Instance, "test");
        return async messages =>
        {
            await using var scope = kernel.App.Services.CreateAsyncScope();
            var acceptor = scope.ServiceProvider.GetRequiredService<IInboundAcceptor>();
            var result = await acceptor.AcceptAsync(handle, messages.Select(m => new InboundMessage
            {
                ProviderMessageId = m.Id,
                ExternalChatId = m.Chat,
                Sender = new ExternalUser { Provider = "webchat", Value = "visitor-" + m.Chat },
                Text = "text " + m.Id,
            }).ToList(), CancellationToken.None);
            Assert.Equal(messages.Count, result.Accepted);
        };
    }
}
