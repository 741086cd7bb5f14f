using System.Net;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Matrix.Tests.Fakes;
using ClawScale.Protos.V1;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// Matrix end to end: events in the client-server spec's shape (tests/ClawScale.Plugins.Matrix.Tests/Payloads) served
/// by a fake homeserver's <c>/sync</c> on 127.0.0.1, received by the real Matrix plugin's listener in the real kernel,
/// answered by the echo agent, the reply PUT to the fake; and the <c>since</c> token kept in the kernel's listener
/// checkpoint across a kernel restart.
/// </summary>
public abstract class MatrixPipelineTests(ListenerKernelFixture fixture)
{
    private const string Direct = "!direct:example.org";
    private const string Team = "!team:example.org";

    private static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Matrix", name + ".json"));

    /// <summary>A spec-shaped text event with a new id and body.</summary>
    private static string Text(string eventId, string body)
    {
        var json = JsonNode.Parse(Payload("text"))!;
        json["event_id"] = eventId;
        json["content"]!["body"] = body;
        return json.ToJsonString();
    }

    private static async Task<(ListenerChannelWorld World, FakeMatrixHomeserver Fake)> StartAsync(KernelHost kernel, FakeMatrixHomeserver? fake = null, string? autoJoin = null)
    {
        fake ??= await FakeMatrixHomeserver.StartAsync();
        var config = new Dictionary<string, string> { ["homeserver_url"] = fake.BaseUrl.AbsoluteUri, ["sync_timeout_seconds"] = "1" };
        if (autoJoin is not null) config["auto_join"] = autoJoin;
        var world = await ListenerChannelWorld.StartAsync(kernel, "matrix", config, new Dictionary<string, string> { ["access_token"] = fake.Token });
        return (world, fake);
    }

    private static async Task WaitForFirstSyncAsync(FakeMatrixHomeserver fake) =>
        await ListenerChannelWorld.Until(() => Task.FromResult(fake.Syncs.Any(s => s.Since is not null)), "the first long-poll sync");

    [SkippableFact]
    public async Task Direct_room_message_gets_a_rich_reply_and_history_before_the_start_is_not_answered()
    {
        var fake = await FakeMatrixHomeserver.StartAsync();
        await using var _ = fake;
        fake.AddRoom(Direct, 2);
        fake.Post(Direct, Payload("text")); // history
        var (t, _) = await StartAsync(fixture.Host, fake);
        await WaitForFirstSyncAsync(fake);
        fake.Post(Direct, Text("$live1:example.org", "Hello, can you summarise my notes?"));

        await t.WaitForDeliveredAsync(1);
        var send = Assert.Single(fake.Sends);
        Assert.Equal(Direct, send.RoomId);
        Assert.Equal("echo: Hello, can you summarise my notes?", send.Field("body"));
        Assert.Equal("$live1:example.org", send.InReplyTo);
        await t.WaitIdleAsync();
        Assert.Single(fake.Sends);
        Assert.Equal(0, await t.QueryAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId && e.ProviderMessageId == "$143273582443PhrSn:example.org")));
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task In_a_room_of_more_than_two_only_a_mention_is_answered()
    {
        var fake = await FakeMatrixHomeserver.StartAsync();
        await using var _ = fake;
        fake.AddRoom(Team, 5);
        var (t, _) = await StartAsync(fixture.Host, fake);
        await WaitForFirstSyncAsync(fake);
        fake.Post(Team, Payload("text"));
        fake.Post(Team, Payload("notice"));
        fake.Post(Team, Payload("mention"));

        await t.WaitForDeliveredAsync(1);
        await t.WaitIdleAsync();
        var send = Assert.Single(fake.Sends);
        Assert.Equal("echo: what is the weather in Paris?", send.Field("body"));
        Assert.Equal("$143273582443PhrSm:example.org", send.InReplyTo);
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Same_event_in_two_syncs_is_answered_once()
    {
        var fake = await FakeMatrixHomeserver.StartAsync();
        await using var _ = fake;
        fake.AddRoom(Direct, 2);
        var (t, _) = await StartAsync(fixture.Host, fake);
        await WaitForFirstSyncAsync(fake);
        fake.Post(Direct, Payload("text"));
        await t.WaitForDeliveredAsync(1);
        fake.Post(Direct, Payload("text")); // the same event_id again
        fake.Post(Direct, Text("$after:example.org", "after the duplicate"));
        await t.WaitForDeliveredAsync(2);
        await t.WaitIdleAsync();
        Assert.Equal(["echo: This is an example text message", "echo: after the duplicate"], fake.Sends.Select(s => s.Field("body")));
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task M_LIMIT_EXCEEDED_is_retried_after_retry_after_ms_with_the_same_txn_id()
    {
        var fake = await FakeMatrixHomeserver.StartAsync();
        await using var _ = fake;
        fake.AddRoom(Direct, 2);
        var (t, _) = await StartAsync(fixture.Host, fake);
        await WaitForFirstSyncAsync(fake);
        // Spec "Rate limiting": 429 with errcode M_LIMIT_EXCEEDED and retry_after_ms.
        fake.FailNextSends(1, 429, """{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":1000}""");
        fake.Post(Direct, Payload("text"));

        var delivery = await t.WaitForDeliveryAsync(DeliveryStatus.Delivered);
        Assert.Equal(2, delivery.Attempts);
        var sends = fake.Sends;
        Assert.Equal(2, sends.Count);
        Assert.Equal(sends[0].TxnId, sends[1].TxnId);
        Assert.True(sends[1].ReceivedAt - sends[0].ReceivedAt >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1), "the retry came before retry_after_ms");
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task M_FORBIDDEN_is_a_dead_letter()
    {
        var fake = await FakeMatrixHomeserver.StartAsync();
        await using var _ = fake;
        fake.AddRoom(Direct, 2);
        var (t, _) = await StartAsync(fixture.Host, fake);
        await WaitForFirstSyncAsync(fake);
        fake.FailAllSends(403, """{"errcode":"M_FORBIDDEN","error":"User @clawbot:example.org not in room !direct:example.org"}""");
        fake.Post(Direct, Payload("text"));
        var dead = await t.WaitForDeliveryAsync(DeliveryStatus.Dead);
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("M_FORBIDDEN", dead.LastError, StringComparison.Ordinal);
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Invites_are_joined_with_auto_join()
    {
        var fake = await FakeMatrixHomeserver.StartAsync();
        await using var _ = fake;
        var (t, _) = await StartAsync(fixture.Host, fake, autoJoin: "true");
        await WaitForFirstSyncAsync(fake);
        fake.Invite("!new:example.org");
        await ListenerChannelWorld.Until(() => Task.FromResult(fake.Joined("!new:example.org")), "the join");
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task A_webhook_call_to_a_matrix_channel_is_refused_and_nothing_is_stored()
    {
        var (t, fake) = await StartAsync(fixture.Host);
        await using var _ = fake;
        Assert.Equal(HttpStatusCode.NotFound, await t.PostWebhookAsync(Payload("text")));
        await t.AssertNothingStoredAsync();
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task After_a_restart_the_stored_since_token_resumes_without_duplicate_reply_or_lost_message()
    {
        var database = await fixture.CreateDatabaseAsync();
        Skip.If(database is null, "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).");
        var dataDirectory = Directory.CreateTempSubdirectory("clawscale-matrix-restart-").FullName;
        var fake = await FakeMatrixHomeserver.StartAsync();
        await using var _ = fake;
        fake.AddRoom(Direct, 2);
        try
        {
            var first = await KernelHost.StartAsync(database.Borrow(), ListenerKernelFixture.Settings, dataDirectory);
            var (t, _) = await StartAsync(first, fake);
            await WaitForFirstSyncAsync(fake);
            fake.Post(Direct, Text("$before:example.org", "before the restart"));
            await t.WaitForDeliveredAsync(1);
            await ListenerChannelWorld.Until(async () => (await t.QueryAsync(db => db.ChannelListenerCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.ChannelId == t.ChannelId)))?.Value.Contains("\"s1\"", StringComparison.Ordinal) == true, "the checkpoint s1");
            first.AssertNoUnexpectedErrors(ListenerChannelWorld.ExpectedError);
            await first.DisposeAsync();
            var syncsBefore = fake.Syncs.Count;

            fake.Post(Direct, Text("$while-down:example.org", "sent while the kernel was down"));
            await using var second = await KernelHost.StartAsync(database, ListenerKernelFixture.Settings, dataDirectory);
            t.Kernel = second;
            await t.WaitForDeliveredAsync(2);
            await t.WaitIdleAsync();

            Assert.Equal(["echo: before the restart", "echo: sent while the kernel was down"], fake.Sends.Select(s => s.Field("body")));
            // The restarted listener's first sync continued from the stored token: no initial sync, no history.
            Assert.Equal("s1", fake.Syncs[syncsBefore].Since);
            Assert.Equal(2, await t.QueryAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));
            await t.StopAsync();
            second.AssertNoUnexpectedErrors(ListenerChannelWorld.ExpectedError);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}

public sealed class MatrixPipelineSqliteTests(SqliteListenerKernelFixture fixture) : MatrixPipelineTests(fixture), IClassFixture<SqliteListenerKernelFixture>;

public sealed class MatrixPipelinePostgresTests(PostgresListenerKernelFixture fixture) : MatrixPipelineTests(fixture), IClassFixture<PostgresListenerKernelFixture>;
