using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Setup = ClawScale.Kernel.Tests.Pipeline.TelegramPipelineTests.Setup;

namespace ClawScale.Kernel.Tests.Runtime;

/// <summary>
/// RuntimeService.Connect through the real kernel: Telegram-originated turns (fake Bot API) flow to runtimes connected
/// with our C# client, replies reach the chat, unacknowledged turns are redelivered, replicas share turns in order.
/// </summary>
public abstract class RuntimeServiceTests(RuntimeKernelFixture fixture)
{
    private const string AdaChat = "111111111";

    private KernelHost Kernel => fixture.Host;

    [SkippableFact]
    public async Task Runtime_receives_a_Telegram_turn_and_its_reply_reaches_the_chat()
    {
        await using var w = await World.StartAsync(Kernel);
        await using var runtime = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello { RuntimeName = "py-bot" });
        Assert.Equal([w.AgentId], runtime.Welcome.AgentIds);
        Assert.Equal(1, runtime.Welcome.HeartbeatIntervalSeconds);
        Assert.NotEmpty(runtime.Welcome.SessionId);

        Assert.Equal(HttpStatusCode.OK, await w.T.PostAsync(TelegramPipelineTests.Payload("private_text")));
        var turn = await runtime.NextTurnAsync();
        Assert.Equal("Hello, can you summarise my notes?", turn.Message.Text);
        Assert.Equal(1, turn.Attempt);
        Assert.Equal(w.AgentId, turn.AgentId);
        Assert.Equal(w.T.TenantId, turn.TenantId);
        Assert.Equal(AdaChat, turn.Conversation.ExternalChatId);
        Assert.Equal(AdaChat, turn.DeliveryRoute.ExternalChatId);
        Assert.Equal(turn.Conversation.CustomerId, turn.Customer.Id);

        await runtime.AckAsync(turn.TurnId);
        await runtime.ReplyAsync(turn.TurnId, "Here is your summary.");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accepted = await runtime.Accepted.Reader.ReadAsync(cts.Token);
        Assert.Equal(turn.TurnId, accepted.TurnId);
        Assert.Single(accepted.DeliveryIds);

        var send = Assert.Single(await w.T.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal("Here is your summary.", send.Parameter("text"));
        await w.T.AssertNoMoreRepliesAsync(AdaChat, 1);
        Assert.Equal(TurnStatusValue.Completed, await w.T.CountAsync(db => db.Turns.Where(t => t.Id == turn.TurnId).Select(t => t.Status).SingleAsync()));
        w.T.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Turn_waits_for_a_runtime_and_one_that_disconnects_before_acknowledging_gets_it_again()
    {
        await using var w = await World.StartAsync(Kernel);
        // No runtime yet: the turn is not failed, it waits.
        Assert.Equal(HttpStatusCode.OK, await w.T.PostAsync(TelegramPipelineTests.Payload("private_text")));
        await Task.Delay(300);
        Assert.Equal(TurnStatusValue.Pending, await w.T.CountAsync(db => db.Turns.Where(t => t.TenantId == w.T.TenantId).Select(t => t.Status).SingleAsync()));

        var first = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello());
        var turn = await first.NextTurnAsync();
        Assert.Equal(1, turn.Attempt);
        await first.DisposeAsync(); // dies before acknowledging

        await using var second = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello());
        var again = await second.NextTurnAsync();
        Assert.Equal(turn.TurnId, again.TurnId);
        Assert.Equal(2, again.Attempt);
        await second.AckAsync(again.TurnId);
        await second.ReplyAsync(again.TurnId, "second try");

        var send = Assert.Single(await w.T.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal("second try", send.Parameter("text"));
        await w.T.AssertNoMoreRepliesAsync(AdaChat, 1);
        w.T.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task A_reply_resent_after_a_redelivery_is_delivered_once()
    {
        await using var w = await World.StartAsync(Kernel);
        var first = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello());
        Assert.Equal(HttpStatusCode.OK, await w.T.PostAsync(TelegramPipelineTests.Payload("private_text")));
        var turn = await first.NextTurnAsync();
        await first.ReplyAsync(turn.TurnId, "part one", final: false);
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10))) await first.Accepted.Reader.ReadAsync(cts.Token);
        await first.DisposeAsync(); // dies before the final reply

        await using var second = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello());
        var again = await second.NextTurnAsync();
        Assert.Equal(2, again.Attempt);
        await second.ReplyAsync(again.TurnId, "part one", final: false);
        await second.ReplyAsync(again.TurnId, "part two");

        await w.T.WaitForRepliesAsync(AdaChat, 2);
        await w.T.AssertNoMoreRepliesAsync(AdaChat, 2);
        Assert.Equal(["part one", "part two"], w.T.CallsTo(AdaChat).Select(c => c.Parameter("text")));
        w.T.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Two_replicas_share_turns_without_duplicates_and_keep_order_per_conversation()
    {
        await using var w = await World.StartAsync(Kernel);
        var received = new ConcurrentQueue<(string Replica, RuntimeTurn Turn)>();
        await using var a = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello { InstanceId = "a", MaxInFlight = 4 });
        await using var b = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello { InstanceId = "b", MaxInFlight = 4 });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serve = new[] { Serve(a, "a"), Serve(b, "b") };

        const int conversations = 6, perConversation = 4;
        for (var m = 0; m < perConversation; m++)
        {
            for (var c = 0; c < conversations; c++)
            {
                await Kernel.Routing.RouteInboundAsync(new RouteInboundRequest
                {
                    TenantId = w.T.TenantId,
                    ChannelId = w.T.ChannelId,
                    ExternalChatId = $"5000{c}",
                    ProviderMessageId = $"m-{c}-{m}",
                    Sender = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = $"{900 + c}" },
                    Text = $"{c}:{m}",
                }, Kernel.AdminAuth);
            }
        }

        await Eventually.TrueAsync(() => received.Count >= conversations * perConversation, "every turn to reach a replica", TimeSpan.FromSeconds(30));
        await w.T.AssertNoMoreRepliesAsync("50000", perConversation);
        Assert.Equal(conversations * perConversation, received.Count);
        Assert.Equal(received.Count, received.Select(r => r.Turn.TurnId).Distinct().Count());
        Assert.All(received, r => Assert.Equal(1, r.Turn.Attempt));
        Assert.Contains(received, r => r.Replica == "a");
        Assert.Contains(received, r => r.Replica == "b");
        for (var c = 0; c < conversations; c++)
        {
            var order = received.Where(r => r.Turn.Conversation.ExternalChatId == $"5000{c}").Select(r => r.Turn.Message.Text).ToList();
            Assert.Equal(Enumerable.Range(0, perConversation).Select(m => $"{c}:{m}"), order);
            Assert.Equal(order.Select(o => "re " + o), w.T.CallsTo($"5000{c}").Select(s => s.Parameter("text")));
        }

        await stop.CancelAsync();
        w.T.AssertNoUnexpectedErrors();

        async Task Serve(TestRuntime runtime, string name)
        {
            try
            {
                await foreach (var turn in runtime.Turns.Reader.ReadAllAsync(stop.Token))
                {
                    received.Enqueue((name, turn));
                    await runtime.AckAsync(turn.TurnId);
                    await runtime.ReplyAsync(turn.TurnId, "re " + turn.Message.Text);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [SkippableFact]
    public async Task A_runtime_failure_fails_the_turn_and_the_user_gets_an_apology()
    {
        await using var w = await World.StartAsync(Kernel);
        await using var runtime = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello());
        Assert.Equal(HttpStatusCode.OK, await w.T.PostAsync(TelegramPipelineTests.Payload("private_text")));
        var turn = await runtime.NextTurnAsync();
        await runtime.SendAsync(new ConnectRequest { Failure = new TurnFailure { TurnId = turn.TurnId, Error = "model quota exceeded" } });

        var send = Assert.Single(await w.T.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal(ClawScale.Kernel.Runtime.RuntimeTurns.Apology, send.Parameter("text"));
        await w.T.AssertNoMoreRepliesAsync(AdaChat, 1);
        var failed = await w.T.CountAsync(db => db.Turns.SingleAsync(t => t.Id == turn.TurnId));
        Assert.Equal(TurnStatusValue.Failed, failed.Status);
        Assert.Contains("model quota exceeded", failed.LastError, StringComparison.Ordinal);
        w.T.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Only_runtime_keys_for_their_agents_may_connect_and_hello_comes_first()
    {
        await using var w = await World.StartAsync(Kernel);
        var other = (await Kernel.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = w.T.TenantId, Name = "other", Kind = "external" }, Kernel.AdminAuth)).Agent;

        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => ConnectAndReadAsync(Kernel.AdminKey, new ConnectRequest { Hello = new RuntimeHello() }), "runtime API key");
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => ConnectAndReadAsync(w.RuntimeKey, new ConnectRequest { Hello = new RuntimeHello { AgentIds = { other.Id } } }), other.Id);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => ConnectAndReadAsync(w.RuntimeKey, new ConnectRequest { Heartbeat = new Heartbeat() }), "hello");
        w.T.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Heartbeats_flow_and_a_silent_runtime_is_disconnected_and_its_turn_redelivered()
    {
        await using var w = await World.StartAsync(Kernel);
        await using var talking = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello());
        await using var silent = await TestRuntime.ConnectAsync(Kernel, w.RuntimeKey, new RuntimeHello { InstanceId = "silent" });
        silent.AnswerHeartbeats = false;

        var status = await silent.WaitForEndAsync(TimeSpan.FromSeconds(15));
        // DEADLINE_EXCEEDED, unless the stream reset (the runtime's request stream was still open) arrived first.
        Assert.NotEqual(StatusCode.OK, status.StatusCode);
        var hub = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ClawScale.Kernel.Runtime.RuntimeHub>(Kernel.App.Services);
        await Eventually.TrueAsync(() => hub.Count == 1, "the silent session to be removed");
        Assert.True(silent.HeartbeatsReceived >= 2, $"the kernel sent {silent.HeartbeatsReceived} heartbeats");
        // The runtime that answers heartbeats is still connected and is served turns.
        Assert.Null(talking.EndStatus);
        Assert.True(talking.HeartbeatsReceived >= 2, $"the kernel sent {talking.HeartbeatsReceived} heartbeats");
        Assert.Equal(HttpStatusCode.OK, await w.T.PostAsync(TelegramPipelineTests.Payload("private_text")));
        var turn = await talking.NextTurnAsync();
        await talking.ReplyAsync(turn.TurnId, "still here");
        await w.T.WaitForRepliesAsync(AdaChat, 1);
        w.T.AssertNoUnexpectedErrors();
    }

    private async Task ConnectAndReadAsync(string key, ConnectRequest first)
    {
        using var call = Kernel.Runtime.Connect(KernelHost.Auth(key), DateTime.UtcNow.AddSeconds(10));
        try
        {
            await call.RequestStream.WriteAsync(first);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            // The kernel may refuse the call before the first message is written (a key check needs no message): the
            // write then fails as cancelled, and the kernel's status is the one the response stream ends with.
        }

        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }
    }

    /// <summary>A Telegram channel whose messages go to an external-runtime agent, and a runtime key for it.</summary>
    private sealed class World : IAsyncDisposable
    {
        private World(Setup t, string agentId, string runtimeKey)
        {
            T = t;
            AgentId = agentId;
            RuntimeKey = runtimeKey;
        }

        public Setup T { get; }

        public string AgentId { get; }

        public string RuntimeKey { get; }

        public static async Task<World> StartAsync(KernelHost kernel)
        {
            var t = await Setup.StartAsync(kernel);
            var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = t.TenantId, Name = "runtime", Kind = "external" }, kernel.AdminAuth)).Agent;
            await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = t.TenantId, AgentId = agent.Id, ChannelId = t.ChannelId }, kernel.AdminAuth);
            var key = await kernel.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = t.TenantId, Name = "rt", Scope = ApiKeyScope.Runtime, AgentIds = { agent.Id } }, kernel.AdminAuth);
            return new World(t, agent.Id, key.Secret);
        }

        public ValueTask DisposeAsync() => T.DisposeAsync();
    }
}

public sealed class RuntimeServiceSqliteTests(SqliteRuntimeKernelFixture fixture) : RuntimeServiceTests(fixture), IClassFixture<SqliteRuntimeKernelFixture>;

public sealed class RuntimeServicePostgresTests(PostgresRuntimeKernelFixture fixture) : RuntimeServiceTests(fixture), IClassFixture<PostgresRuntimeKernelFixture>;
