using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Server;

public sealed class DeadlineAndCancellationTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Deadline_gives_DEADLINE_EXCEEDED_and_cancels_the_handler()
    {
        server.Probe.Reset();
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            client.WaitForCancellationAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await server.Probe.HandlerCancelled.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task Server_answers_DEADLINE_EXCEEDED_itself_from_grpc_timeout()
    {
        server.Probe.Reset();
        using var http = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(http, "/clawscale.test.v1.TestService/WaitForCancellation", RawGrpc.Frame(new EchoRequest()), "application/grpc", ("grpc-timeout", "200m"));

        Assert.Equal("4", response.GrpcStatus);
        Assert.True(server.Probe.HandlerCancelled.Task.IsCompleted);
        Assert.Contains(server.Logs.Entries, e => e.EventId.Id == 4);
    }

    [Fact]
    public async Task Handler_sees_the_deadline_from_grpc_timeout()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);
        var deadline = DateTime.UtcNow.AddMinutes(5);

        await client.EchoAsync(new EchoRequest(), deadline: deadline);

        Assert.InRange(server.Probe.LastDeadline, deadline.AddSeconds(-5), deadline.AddSeconds(5));
    }

    [Fact]
    public async Task Deadline_a_year_away_works()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var reply = await client.EchoAsync(new EchoRequest { Text = "far" }, deadline: DateTime.UtcNow.AddYears(1));

        Assert.Equal("far", reply.Text);
    }

    [Fact]
    public async Task Expired_deadline_fails_fast()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(-1)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Client_cancellation_gives_CANCELLED_and_cancels_the_handler()
    {
        server.Probe.Reset();
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);
        using var cts = new CancellationTokenSource();

        using var call = client.WaitForCancellationAsync(new EchoRequest(), cancellationToken: cts.Token);
        await server.Probe.HandlerStarted.Task.WaitAsync(Bound);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await server.Probe.HandlerCancelled.Task.WaitAsync(Bound);
        await Wait.UntilAsync(() => server.Logs.Entries.Any(e => e.EventId.Id == 3), "the server logs the cancellation");
        Assert.DoesNotContain(server.Logs.Entries, e => e.EventId.Id == 3 && e.Level > Microsoft.Extensions.Logging.LogLevel.Information);
    }

    [Fact]
    public async Task Disposing_a_streaming_call_cancels_it_on_the_server()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var call = client.ServerStream(new EchoRequest { Text = "wait", Count = 1 });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        call.Dispose();

        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await Wait.UntilAsync(() => server.Logs.Entries.Any(e => e.EventId.Id == 3 && e.Message.Contains("ServerStream")), "the server observes the cancellation");
    }

    [Fact]
    public async Task Idle_duplex_stream_survives_and_completes()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.Duplex(deadline: DateTime.UtcNow.AddSeconds(30));
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "a" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
    }
}
