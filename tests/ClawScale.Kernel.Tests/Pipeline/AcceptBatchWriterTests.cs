using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Accept;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Routing;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Messages;
using ClawScale.Protos.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// ACCEPT's multi-row statements (issue 15) through the real host and database: one accept call larger than
/// <see cref="SqlText.MaxRowsPerStatement"/> is written in several statements per table, all in one transaction,
/// every message with its own event, message and turn in the right conversation; the same call again is all duplicates.
/// </summary>
public sealed class AcceptBatchWriterTests
{
    [Fact]
    public Task A_call_larger_than_one_statement_stores_every_message_once_on_sqlite() => RunAsync(TestDatabase.Sqlite());

    [SkippableFact]
    public async Task A_call_larger_than_one_statement_stores_every_message_once_on_postgres()
    {
        Skip.If(TestEnvironment.PostgresConnectionString is null, "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).");
        await RunAsync(await TestDatabase.PostgresAsync());
    }

    private static async Task RunAsync(TestDatabase database)
    {
        await using (database)
        {
            await using var kernel = await KernelHost.StartAsync(database.Borrow());
            var (tenant, key) = await kernel.CreateTenantAsync();
            var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "site", Config = { ["title"] = "help" } }, KernelHost.Auth(key))).Channel;
            var acceptor = kernel.App.Services.GetRequiredService<IInboundAcceptor>();
            var handle = new ChannelHandle(channel.Id, tenant.Id, channel.Kind, DetachedChannelAdapter.Instance, "test");
            var count = SqlText.MaxRowsPerStatement * 2 + 7;
            // 100 senders in 100 chats, so that conversations receive several messages of the same call.
            var messages = Enumerable.Range(0, count).Select(i => new InboundMessage
            {
                ProviderMessageId = $"m-{i}",
                ExternalChatId = $"chat-{i % 100}",
                Sender = new ExternalUser { Provider = "webchat", Value = $"visitor-{i % 100}", DisplayName = $"Visitor {i % 100}" },
                Text = $"message {i}",
            }).ToList();

            var first = await acceptor.AcceptAsync(handle, messages, CancellationToken.None);
            Assert.Equal((count, 0), (first.Accepted, first.Duplicates));

            await using var scope = kernel.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var stored = await (
                    from e in db.InboundEvents.AsNoTracking()
                    where e.ChannelId == channel.Id
                    join t in db.Turns on e.TurnId equals t.Id
                    join m in db.Messages on t.MessageId equals m.Id
                    join c in db.Conversations on t.ConversationId equals c.Id
                    select new { e.ProviderMessageId, t.InboundEventId, EventId = e.Id, m.Text, m.Role, MessageTurnId = m.TurnId, TurnId = t.Id, c.ExternalChatId, MessageConversation = m.ConversationId, TurnConversation = t.ConversationId })
                .ToListAsync();
            Assert.Equal(count, stored.Count);
            Assert.Equal(count, stored.Select(s => s.ProviderMessageId).Distinct().Count());
            foreach (var s in stored)
            {
                var i = int.Parse(s.ProviderMessageId[2..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal($"message {i}", s.Text);
                Assert.Equal($"chat-{i % 100}", s.ExternalChatId);
                Assert.Equal(MessageRoleValue.User, s.Role);
                Assert.Equal((s.EventId, s.TurnId, s.TurnConversation), (s.InboundEventId, s.MessageTurnId, s.MessageConversation));
            }

            Assert.Equal(100, await db.Conversations.CountAsync(c => c.ChannelId == channel.Id));
            Assert.Equal(count, await db.Messages.CountAsync(m => m.TenantId == tenant.Id && m.Role == MessageRoleValue.User));

            var again = await acceptor.AcceptAsync(handle, messages, CancellationToken.None);
            Assert.Equal((0, count), (again.Accepted, again.Duplicates));
            Assert.Equal(count, await db.Turns.CountAsync(t => t.TenantId == tenant.Id));
            kernel.AssertNoUnexpectedErrors();
        }
    }
}
