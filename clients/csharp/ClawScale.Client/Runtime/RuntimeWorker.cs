using System.Runtime.CompilerServices;
using ClawScale.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ClawScale.Client.Runtime;

/// <summary>
/// Serves an external runtime's turns over <c>RuntimeService.Connect</c> (no public IP needed): sends the hello
/// (<see cref="RuntimeWorkerOptions.AgentIds"/>), waits for the welcome, sends heartbeats at the welcome's interval,
/// acknowledges each turn at once, runs the <see cref="RuntimeTurnHandler"/> and sends its replies (the last one
/// <c>final</c>) or a failure. When the stream breaks it reconnects with exponential backoff and jitter, until
/// <see cref="RunAsync"/>'s token is cancelled. Follows the protocol described in <c>protos/clawscale/v1/runtime.proto</c>.
/// </summary>
public sealed class RuntimeWorker
{
    /// <summary>Statuses that no reconnect can cure: <see cref="RunAsync"/> throws them.</summary>
    private static readonly HashSet<StatusCode> Fatal =
        [StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.InvalidArgument, StatusCode.Unimplemented, StatusCode.NotFound];

    private readonly RuntimeService.RuntimeServiceClient _client;
    private readonly RuntimeTurnHandler _handler;
    private readonly RuntimeWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<RuntimeWelcome> _firstWelcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a worker on <paramref name="client"/> (whose invoker must carry a runtime key).</summary>
    public RuntimeWorker(RuntimeService.RuntimeServiceClient client, RuntimeTurnHandler handler, RuntimeWorkerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handler);
        _client = client;
        _handler = handler;
        _options = options ?? new RuntimeWorkerOptions();
        _time = timeProvider ?? TimeProvider.System;
        if (_options.MaxInFlight < 1) throw new ArgumentException($"MaxInFlight: {_options.MaxInFlight} must be at least 1.", nameof(options));
    }

    /// <summary>Adapts a handler that returns every reply at once to a <see cref="RuntimeTurnHandler"/>.</summary>
    public static RuntimeTurnHandler FromTask(Func<RuntimeTurn, CancellationToken, Task<IReadOnlyList<ReplyMessage>>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (turn, ct) => Enumerate(handler, turn, ct);

        static async IAsyncEnumerable<ReplyMessage> Enumerate(
            Func<RuntimeTurn, CancellationToken, Task<IReadOnlyList<ReplyMessage>>> handler, RuntimeTurn turn, [EnumeratorCancellation] CancellationToken ct)
        {
            foreach (var message in await handler(turn, ct).ConfigureAwait(false)) yield return message;
        }
    }

    /// <summary>The welcome of the current session, or null while disconnected.</summary>
    public RuntimeWelcome? CurrentWelcome { get; private set; }

    /// <summary>Completes with the first welcome the kernel sends (use it to wait until turns can arrive).</summary>
    public Task<RuntimeWelcome> FirstWelcome => _firstWelcome.Task;

    /// <summary>
    /// Connects and serves turns until <paramref name="cancellationToken"/> is cancelled (then returns normally).
    /// </summary>
    /// <exception cref="RpcException">
    /// The kernel refused the runtime for good: <c>UNAUTHENTICATED</c> (bad or revoked key), <c>PERMISSION_DENIED</c>
    /// (not a runtime key, or an agent not bound to it), <c>INVALID_ARGUMENT</c>, <c>NOT_FOUND</c>, or
    /// <c>UNIMPLEMENTED</c> (a kernel without RuntimeService). Other failures reconnect.
    /// </exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var welcomed = false;
            try
            {
                await RunSessionAsync(() => welcomed = true, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested) return;
                _options.OnDisconnected?.Invoke(new RpcException(new Status(StatusCode.Unavailable, "The kernel ended the Connect stream.")));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested && e.StatusCode == StatusCode.Cancelled)
            {
                return;
            }
            catch (RpcException e) when (Fatal.Contains(e.StatusCode))
            {
                _firstWelcome.TrySetException(e);
                throw;
            }
            catch (Exception e)
            {
                _options.OnDisconnected?.Invoke(e);
            }
            finally
            {
                CurrentWelcome = null;
            }

            failures = welcomed ? 1 : failures + 1;
            try
            {
                await Task.Delay(ReconnectDelay(failures), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Delay before reconnect number <paramref name="failures"/>: initial × 2^(failures−1), capped, ±50 % jitter.</summary>
    internal TimeSpan ReconnectDelay(int failures)
    {
        var ms = Math.Min(_options.InitialReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30)), _options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.5 + Random.Shared.NextDouble()));
    }

    private async Task RunSessionAsync(Action onWelcome, CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _client.Connect(cancellationToken: session.Token);
        using var writeLock = new SemaphoreSlim(1, 1);
        using var slots = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
        var turns = new List<Task>();

        async Task WriteAsync(ConnectRequest request)
        {
            await writeLock.WaitAsync(session.Token).ConfigureAwait(false);
            try
            {
                // The call is bound to session.Token, which also ends a write in progress.
                await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        var hello = new RuntimeHello { RuntimeName = _options.RuntimeName, InstanceId = _options.InstanceId, MaxInFlight = _options.MaxInFlight };
        hello.AgentIds.Add(_options.AgentIds);
        await WriteAsync(new ConnectRequest { Hello = hello }).ConfigureAwait(false);

        var responses = call.ResponseStream;
        if (!await responses.MoveNext(session.Token).ConfigureAwait(false))
            throw new RpcException(new Status(StatusCode.Unavailable, "The kernel closed the Connect stream before its welcome."));
        if (responses.Current.KindCase != ConnectResponse.KindOneofCase.Welcome)
            throw new RpcException(new Status(StatusCode.Internal, $"Expected a welcome as the first message, got {responses.Current.KindCase}."));

        var welcome = responses.Current.Welcome;
        CurrentWelcome = welcome;
        onWelcome();
        _firstWelcome.TrySetResult(welcome);
        var interval = welcome.HeartbeatIntervalSeconds > 0 ? TimeSpan.FromSeconds(welcome.HeartbeatIntervalSeconds) : _options.DefaultHeartbeatInterval;
        var heartbeats = HeartbeatAsync(WriteAsync, interval, session.Token);

        try
        {
            while (await responses.MoveNext(session.Token).ConfigureAwait(false))
            {
                var response = responses.Current;
                if (response.KindCase != ConnectResponse.KindOneofCase.Turn) continue;
                var turn = response.Turn;
                await WriteAsync(new ConnectRequest { Ack = new TurnAck { TurnId = turn.TurnId } }).ConfigureAwait(false);
                await slots.WaitAsync(session.Token).ConfigureAwait(false);
                turns.RemoveAll(t => t.IsCompleted);
                turns.Add(ServeTurnAsync(turn, WriteAsync, slots, session.Token));
            }
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(turns.Append(heartbeats)).ConfigureAwait(false);
            }
            catch (Exception) when (session.IsCancellationRequested)
            {
                // Turns and heartbeats end with the session; their errors are the stream's.
            }
        }
    }

    private async Task HeartbeatAsync(Func<ConnectRequest, Task> write, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                await write(new ConnectRequest { Heartbeat = new Heartbeat { Time = Timestamp.FromDateTimeOffset(_time.GetUtcNow()) } }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeTurnAsync(RuntimeTurn turn, Func<ConnectRequest, Task> write, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            ReplyMessage? pending = null;
            try
            {
                await foreach (var message in _handler(turn, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (pending is not null) await write(Reply(turn.TurnId, pending, final: false)).ConfigureAwait(false);
                    pending = message;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var error = $"{e.GetType().Name}: {e.Message}";
                if (error.Length > 2000) error = error[..2000];
                await write(new ConnectRequest { Failure = new TurnFailure { TurnId = turn.TurnId, Error = error } }).ConfigureAwait(false);
                return;
            }

            await write(Reply(turn.TurnId, pending, final: true)).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The session ended: the kernel redelivers the turn to the next connection.
        }
        finally
        {
            slots.Release();
        }
    }

    private static ConnectRequest Reply(string turnId, ReplyMessage? message, bool final)
    {
        var reply = new TurnReply { TurnId = turnId, Final = final };
        if (message is not null) reply.Messages.Add(message);
        return new ConnectRequest { Reply = reply };
    }
}
