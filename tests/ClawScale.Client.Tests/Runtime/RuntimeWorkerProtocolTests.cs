using System.Runtime.CompilerServices;
using ClawScale.Client.Runtime;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Client.Tests.Runtime;

/// <summary>The worker's side of the Connect protocol (runtime.proto) against an in-memory kernel.</summary>
public sealed class RuntimeWorkerProtocolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task<ConnectRequest> NextAsync(FakeRuntimeInvoker.Session session) =>
        (ConnectRequest)await session.Requests.Reader.ReadAsync().AsTask().WaitAsync(Bound);

    private static RuntimeTurn Turn(string id, string text) => new() { TurnId = id, Message = new Message { Text = text } };

    private static async IAsyncEnumerable<ReplyMessage> Handler(RuntimeTurn turn, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        if (turn.Message.Text == "fail") throw new InvalidOperationException("model overloaded");
        yield return new ReplyMessage { Text = "one: " + turn.Message.Text };
        yield return new ReplyMessage { Text = "two" };
    }

    [Fact]
    public async Task Hello_welcome_ack_replies_failure_and_reconnect()
    {
        var invoker = new FakeRuntimeInvoker();
        var worker = new RuntimeWorker(new RuntimeService.RuntimeServiceClient(invoker), Handler,
            new RuntimeWorkerOptions { AgentIds = ["a1"], RuntimeName = "t", InitialReconnectDelay = TimeSpan.FromMilliseconds(10) });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        var session = await invoker.Sessions.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        var hello = (await NextAsync(session)).Hello;
        Assert.Equal(["a1"], hello.AgentIds);
        Assert.Equal("t", hello.RuntimeName);
        Assert.Equal(16, hello.MaxInFlight);

        await session.Responses.Writer.WriteAsync(new ConnectResponse { Welcome = new RuntimeWelcome { SessionId = "s1", HeartbeatIntervalSeconds = 3600, AgentIds = { "a1" } } });
        Assert.Equal("s1", (await worker.FirstWelcome.WaitAsync(Bound)).SessionId);

        await session.Responses.Writer.WriteAsync(new ConnectResponse { Turn = Turn("t1", "hi") });
        Assert.Equal("t1", (await NextAsync(session)).Ack.TurnId);
        var first = (await NextAsync(session)).Reply;
        Assert.Equal(("t1", "one: hi", false), (first.TurnId, first.Messages.Single().Text, first.Final));
        var last = (await NextAsync(session)).Reply;
        Assert.Equal(("t1", "two", true), (last.TurnId, last.Messages.Single().Text, last.Final));

        await session.Responses.Writer.WriteAsync(new ConnectResponse { Turn = Turn("t2", "fail") });
        Assert.Equal("t2", (await NextAsync(session)).Ack.TurnId);
        var failure = (await NextAsync(session)).Failure;
        Assert.Equal("t2", failure.TurnId);
        Assert.Contains("model overloaded", failure.Error);

        // The stream breaks: the worker connects again and says hello again.
        session.End(new Status(StatusCode.Unavailable, "connection reset"));
        var second = await invoker.Sessions.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(hello.InstanceId, (await NextAsync(second)).Hello.InstanceId);

        await stop.CancelAsync();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_refused_key_ends_RunAsync_with_the_status()
    {
        var invoker = new FakeRuntimeInvoker();
        var worker = new RuntimeWorker(new RuntimeService.RuntimeServiceClient(invoker), Handler);
        var running = worker.RunAsync(CancellationToken.None);
        var session = await invoker.Sessions.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        await NextAsync(session);
        session.End(new Status(StatusCode.Unauthenticated, "unknown key"));
        var e = await Assert.ThrowsAsync<RpcException>(() => running.WaitAsync(Bound));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Heartbeats_flow_at_the_welcomes_interval()
    {
        var invoker = new FakeRuntimeInvoker();
        var worker = new RuntimeWorker(new RuntimeService.RuntimeServiceClient(invoker), Handler);
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        var session = await invoker.Sessions.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        await NextAsync(session);
        await session.Responses.Writer.WriteAsync(new ConnectResponse { Welcome = new RuntimeWelcome { SessionId = "s", HeartbeatIntervalSeconds = 1 } });
        Assert.Equal(ConnectRequest.KindOneofCase.Heartbeat, (await NextAsync(session)).KindCase);
        await stop.CancelAsync();
        await running.WaitAsync(Bound);
    }
}
