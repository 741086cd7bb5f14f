using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// ACCEPT backpressure through the real host on SQLite: with <c>Pipeline:AcceptQueueLimit=1</c> and the database's
/// write lock held by the test, the accept writer waits (busy timeout), one call may wait behind it, and every further
/// webhook is refused at once with 503 and <c>Retry-After: 1</c>. Nothing refused is stored; once the lock is released
/// the accepted updates are answered exactly once, and the refused ones are answered when Telegram sends them again.
/// </summary>
public sealed class BackpressureTests
{
    private const string AdaChat = "111111111";
    private const int Updates = 6;
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Webhooks_beyond_the_accept_queue_limit_get_503_with_Retry_After_and_are_answered_when_sent_again()
    {
        var settings = new Dictionary<string, string?>(TelegramKernelFixture.Settings)
        {
            ["ClawScale:Pipeline:AcceptQueueLimit"] = "1",
            ["ClawScale:Pipeline:AcceptBatchSize"] = "1",
        };
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), settings);
        try
        {
            await using var t = await TelegramPipelineTests.Setup.StartAsync(kernel);
            var updates = Enumerable.Range(1, Updates)
                .Select(i => TelegramPipelineTests.WithIds(TelegramPipelineTests.Payload("private_text"), 734019000 + i, 1900 + i, "bp " + i))
                .ToArray();

            // Hold SQLite's write lock: the kernel's writers wait on it (WAL; busy timeout 30 s), readers do not.
            var lockHolder = new SqliteConnection($"Data Source={Path.Combine(kernel.DataDirectory, "clawscale.db")};Pooling=False;Default Timeout=30");
            await lockHolder.OpenAsync();
            Task<Answer>[] posts;
            try
            {
                await using (var begin = lockHolder.CreateCommand())
                {
                    begin.CommandText = "BEGIN IMMEDIATE;";
                    await begin.ExecuteNonQueryAsync();
                }

                posts = updates.Select(u => PostAsync(kernel, t.ChannelId, u)).ToArray();
                // At most one call is being written (blocked on the lock) and one waits (the limit): the rest are refused at once.
                await Eventually.TrueAsync(() => posts.Count(p => p.IsCompleted) >= Updates - 2, $"{Updates - 2} webhook answers while the database is locked", TimeSpan.FromSeconds(15));
                foreach (var done in posts.Where(p => p.IsCompleted))
                {
                    var answer = await done;
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
                    Assert.Equal(TimeSpan.FromSeconds(1), answer.RetryAfter);
                    Assert.Contains("Retry-After", answer.Body, StringComparison.Ordinal);
                }
            }
            finally
            {
                await using (var rollback = lockHolder.CreateCommand())
                {
                    rollback.CommandText = "ROLLBACK;";
                    await rollback.ExecuteNonQueryAsync();
                }

                await lockHolder.DisposeAsync();
            }

            var answers = await Task.WhenAll(posts).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"Unexpected answer {a.Status}: {a.Body}"));
            var accepted = Enumerable.Range(0, Updates).Where(i => answers[i].Status == HttpStatusCode.OK).ToArray();
            var refused = Enumerable.Range(0, Updates).Where(i => answers[i].Status == HttpStatusCode.ServiceUnavailable).ToArray();
            Assert.InRange(accepted.Length, 1, 2);
            Assert.InRange(refused.Length, Updates - 2, Updates - 1);

            // Every update answered 200 is answered exactly once; the refused ones were not stored.
            await t.WaitForRepliesAsync(AdaChat, accepted.Length);
            await t.AssertNoMoreRepliesAsync(AdaChat, accepted.Length);
            Assert.Equal(accepted.Select(i => "echo: bp " + (i + 1)).Order(), t.CallsTo(AdaChat).Select(c => c.Parameter("text")).Order());
            Assert.Equal(accepted.Length, await t.CountAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId)));
            Assert.Equal(accepted.Length, await t.CountAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));

            // Telegram sends the refused updates again: now they are taken and answered, each once.
            foreach (var i in refused)
            {
                var again = await PostAsync(kernel, t.ChannelId, updates[i]);
                Assert.True(again.Status == HttpStatusCode.OK, $"The re-sent update {i + 1} was answered {again.Status}: {again.Body}");
            }

            await t.WaitForRepliesAsync(AdaChat, Updates);
            await t.AssertNoMoreRepliesAsync(AdaChat, Updates);
            Assert.Equal(Enumerable.Range(1, Updates).Select(i => "echo: bp " + i).Order(), t.CallsTo(AdaChat).Select(c => c.Parameter("text")).Order());
            kernel.AssertNoUnexpectedErrors();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private sealed record Answer(HttpStatusCode Status, TimeSpan? RetryAfter, string Body);

    private static async Task<Answer> PostAsync(KernelHost kernel, string channelId, JsonObject update)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(kernel.HttpAddress, "/webhooks/" + channelId))
        {
            Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramPipelineTests.Secret);
        using var response = await Http.SendAsync(request);
        return new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
    }
}
