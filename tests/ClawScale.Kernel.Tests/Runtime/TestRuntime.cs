using System.Threading.Channels;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Channel = System.Threading.Channels.Channel;
using Grpc.Core;

namespace ClawScale.Kernel.Tests.Runtime;

/// <summary>
/// A runtime replica for tests, on our C# client's duplex call: sends hello, reads the welcome, then collects turns and
/// answers the kernel's heartbeats (unless <see cref="AnswerHeartbeats"/> is off).
/// </summary>
internal sealed class TestRuntime : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<ConnectRequest, ConnectResponse> _call;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Task _reader;

    private TestRuntime(AsyncDuplexStreamingCall<ConnectRequest, ConnectResponse> call, RuntimeWelcome welcome)
    {
        _call = call;
        Welcome = welcome;
        _reader = Task.Run(ReadAsync);
    }

    public RuntimeWelcome Welcome { get; }

    public System.Threading.Channels.Channel<RuntimeTurn> Turns { get; } = System.Threading.Channels.Channel.CreateUnbounded<RuntimeTurn>();

    public System.Threading.Channels.Channel<ReplyAccepted> Accepted { get; } = System.Threading.Channels.Channel.CreateUnbounded<ReplyAccepted>();

    public int HeartbeatsReceived;

    public bool AnswerHeartbeats { get; set; } = true;

    /// <summary>How the stream ended (null while open).</summary>
    public Status? EndStatus { get; private set; }

    public static async Task<TestRuntime> ConnectAsync(KernelHost kernel, string key, RuntimeHello hello)
    {
        var call = kernel.Runtime.Connect(KernelHost.Auth(key));
        await call.RequestStream.WriteAsync(new ConnectRequest { Hello = hello });
        if (!await call.ResponseStream.MoveNext(CancellationToken.None)) throw new InvalidOperationException("The stream ended before the welcome.");
        Assert.Equal(ConnectResponse.KindOneofCase.Welcome, call.ResponseStream.Current.KindCase);
        return new TestRuntime(call, call.ResponseStream.Current.Welcome);
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var response = _call.ResponseStream.Current;
                switch (response.KindCase)
                {
                    case ConnectResponse.KindOneofCase.Turn:
                        await Turns.Writer.WriteAsync(response.Turn);
                        break;
                    case ConnectResponse.KindOneofCase.ReplyAccepted:
                        await Accepted.Writer.WriteAsync(response.ReplyAccepted);
                        break;
                    case ConnectResponse.KindOneofCase.Heartbeat:
                        Interlocked.Increment(ref HeartbeatsReceived);
                        if (AnswerHeartbeats) await SendAsync(new ConnectRequest { Heartbeat = new Heartbeat() });
                        break;
                }
            }

            EndStatus = Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            EndStatus = ex.Status;
        }
        catch (IOException ex)
        {
            // The server ended the call while our request stream was open: the trailers may be lost with the reset.
            EndStatus = new Status(StatusCode.Unavailable, "aborted: " + ex.Message);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            EndStatus = new Status(StatusCode.Cancelled, ex.Message);
        }
        finally
        {
            Turns.Writer.TryComplete();
        }
    }

    /// <summary>The next turn, within <paramref name="bound"/> (10 s).</summary>
    public async Task<RuntimeTurn> NextTurnAsync(TimeSpan? bound = null)
    {
        using var cts = new CancellationTokenSource(bound ?? TimeSpan.FromSeconds(10));
        return await Turns.Reader.ReadAsync(cts.Token);
    }

    public async Task SendAsync(ConnectRequest request)
    {
        await _send.WaitAsync();
        try
        {
            await _call.RequestStream.WriteAsync(request);
        }
        finally
        {
            _send.Release();
        }
    }

    public Task AckAsync(string turnId) => SendAsync(new ConnectRequest { Ack = new TurnAck { TurnId = turnId } });

    public Task ReplyAsync(string turnId, string text, bool final = true) =>
        SendAsync(new ConnectRequest { Reply = new TurnReply { TurnId = turnId, Final = final, Messages = { new ReplyMessage { Text = text } } } });

    /// <summary>Waits until the stream has ended and returns its status.</summary>
    public async Task<Status> WaitForEndAsync(TimeSpan bound)
    {
        await _reader.WaitAsync(bound);
        return EndStatus!.Value;
    }

    /// <summary>Drops the connection (the runtime process dies).</summary>
    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }

        _send.Dispose();
    }
}
