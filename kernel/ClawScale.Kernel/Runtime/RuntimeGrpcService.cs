using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Plugins;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Logging;
using ClawScale.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Runtime;

/// <summary>
/// <c>clawscale.v1.RuntimeService</c> (runtime.proto). Connect: the first message must be <c>hello</c> (else
/// INVALID_ARGUMENT); only runtime-scoped keys may connect (PERMISSION_DENIED), for agents bound to the key
/// (PERMISSION_DENIED for others, NOT_FOUND for an agent that no longer exists, FAILED_PRECONDITION for an agent that is
/// not an external runtime). The kernel answers <c>welcome</c>, then sends turns (<see cref="RuntimeTurns"/>) and a
/// heartbeat every interval; a runtime silent for three intervals is disconnected (DEADLINE_EXCEEDED). A stream whose key
/// is revoked (or whose tenant is deleted) ends with UNAUTHENTICATED (<see cref="ApiKeyStreamGuard"/>). When the stream
/// ends, the turns it holds go back to pending and are redelivered (attempt + 1) to the next connected replica.
/// </summary>
internal sealed partial class RuntimeGrpcService(
    ClawScaleDbContext db,
    RuntimeHub hub,
    RuntimeTurns turns,
    ApiKeyStreamGuard keys,
    IPipelineSignals signals,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<RuntimeGrpcService> logger) : RuntimeService.RuntimeServiceBase
{
    private const int DefaultMaxInFlight = 16;
    private const int MaxMaxInFlight = 1024;

    public override async Task Connect(IAsyncStreamReader<ConnectRequest> requestStream, IServerStreamWriter<ConnectResponse> responseStream, ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (caller.Scope != ApiKeyScopeValue.Runtime)
            throw GrpcErrors.PermissionDenied("RuntimeService.Connect needs a runtime API key bound to the agents it serves (AdminService.CreateApiKey with scope RUNTIME and agent_ids).");
        // Cancelled when the runtime goes away or its key is revoked: everything below runs on it.
        using var lease = keys.Track(caller, context.CancellationToken);
        try
        {
            await ServeAsync(caller, lease, requestStream, responseStream, context);
        }
        catch (Exception) when (lease.IsRevoked && !context.CancellationToken.IsCancellationRequested)
        {
            throw ApiKeyStreamLease.RevokedError();
        }
    }

    private async Task ServeAsync(Caller caller, ApiKeyStreamLease lease, IAsyncStreamReader<ConnectRequest> requestStream, IServerStreamWriter<ConnectResponse> responseStream, ServerCallContext context)
    {
        var callCt = lease.Token;
        if (!await requestStream.MoveNext(callCt) || requestStream.Current.KindCase != ConnectRequest.KindOneofCase.Hello)
            throw GrpcErrors.InvalidArgument("hello", "the first message of Connect must be hello (agent_ids, runtime_name, instance_id, max_in_flight).");
        var hello = requestStream.Current.Hello;
        var agentIds = await ValidateAgentsAsync(caller, hello, callCt);
        var maxInFlight = hello.MaxInFlight switch
        {
            < 0 => throw GrpcErrors.InvalidArgument("hello.max_in_flight", "must not be negative (0 means the default, 16)."),
            0 => DefaultMaxInFlight,
            > MaxMaxInFlight => MaxMaxInFlight,
            var n => n,
        };
        var interval = options.Value.RuntimeHeartbeatInterval;
        var session = new RuntimeSession(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), caller.TenantId!, agentIds, maxInFlight,
            Truncate(hello.RuntimeName, 100), hello.InstanceId.Length == 0 ? Guid.NewGuid().ToString("N") : Truncate(hello.InstanceId, 100));

        var welcome = new RuntimeWelcome { SessionId = session.Id, HeartbeatIntervalSeconds = (int)Math.Max(1, Math.Ceiling(interval.TotalSeconds)) };
        welcome.AgentIds.AddRange(agentIds);
        await responseStream.WriteAsync(new ConnectResponse { Welcome = welcome }, callCt);

        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(callCt);
        var ct = sessionCts.Token;
        var lastSeen = time.GetTimestamp();
        hub.Register(session);
        LogConnected(logger, session.Id, session.RuntimeName, session.InstanceId, agentIds);
        signals.TurnsAvailable();
        var writer = WriteAsync(session, responseStream, ct);
        var heartbeat = HeartbeatAsync(session, interval, () => Interlocked.Read(ref lastSeen), sessionCts, ct);
        var silent = false;
        try
        {
            while (await requestStream.MoveNext(ct))
            {
                Interlocked.Exchange(ref lastSeen, time.GetTimestamp());
                var request = requestStream.Current;
                switch (request.KindCase)
                {
                    case ConnectRequest.KindOneofCase.Ack:
                        await turns.AckAsync(session, RequestValidation.Id(request.Ack.TurnId, "ack.turn_id"), ct);
                        break;
                    case ConnectRequest.KindOneofCase.Reply:
                        RequestValidation.Id(request.Reply.TurnId, "reply.turn_id");
                        for (var i = 0; i < request.Reply.Messages.Count; i++)
                        {
                            var m = request.Reply.Messages[i];
                            if (m.Text.Length == 0 && m.Attachments.Count == 0)
                                throw GrpcErrors.InvalidArgument($"reply.messages[{i}]", "needs text or attachments.");
                        }

                        var ids = await turns.ReplyAsync(session, request.Reply, ct);
                        if (ids is not null)
                        {
                            var accepted = new ReplyAccepted { TurnId = request.Reply.TurnId };
                            accepted.DeliveryIds.AddRange(ids);
                            session.Outbox.Writer.TryWrite(new ConnectResponse { ReplyAccepted = accepted });
                        }

                        break;
                    case ConnectRequest.KindOneofCase.Failure:
                        RequestValidation.Id(request.Failure.TurnId, "failure.turn_id");
                        await turns.FailAsync(session, request.Failure, ct);
                        break;
                    case ConnectRequest.KindOneofCase.Heartbeat:
                        break;
                    case ConnectRequest.KindOneofCase.Hello:
                        throw GrpcErrors.InvalidArgument("hello", "was already sent; send it once, as the first message.");
                    default:
                        throw GrpcErrors.InvalidArgument("kind", "is not set; send ack, reply, failure or heartbeat.");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !callCt.IsCancellationRequested)
        {
            silent = true;
        }
        catch (OperationCanceledException) when (callCt.IsCancellationRequested)
        {
            // The runtime went away, or its key was revoked (UNAUTHENTICATED below).
        }
        finally
        {
            session.Close();
            hub.Unregister(session);
            await sessionCts.CancelAsync();
            await Task.WhenAll(writer, heartbeat).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await turns.ReleaseSessionAsync(session);
            LogDisconnected(logger, session.Id, silent);
        }

        if (lease.IsRevoked) throw ApiKeyStreamLease.RevokedError();

        if (silent)
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"No message or heartbeat from the runtime for {3 * interval.TotalSeconds:0.#} s (3 heartbeat intervals); reconnect and send a heartbeat every {welcome.HeartbeatIntervalSeconds} s."));
    }

    private async Task<List<string>> ValidateAgentsAsync(Caller caller, RuntimeHello hello, CancellationToken ct)
    {
        var requested = hello.AgentIds.Count == 0 ? caller.AgentIds.ToList() : hello.AgentIds.Select((a, i) => RequestValidation.Id(a, $"hello.agent_ids[{i}]")).Distinct(StringComparer.Ordinal).ToList();
        if (requested.Count == 0)
            throw GrpcErrors.FailedPrecondition("This runtime key is bound to no agent; create a runtime key with agent_ids (AdminService.CreateApiKey).");
        foreach (var agentId in requested)
        {
            if (!caller.AgentIds.Contains(agentId, StringComparer.Ordinal))
                throw GrpcErrors.PermissionDenied($"hello.agent_ids: agent '{agentId}' is not bound to this runtime key; use a key created with it in agent_ids.");
        }

        var agents = await db.Agents.AsNoTracking().Where(a => a.TenantId == caller.TenantId && requested.Contains(a.Id)).Select(a => new { a.Id, a.Kind, a.Name }).ToListAsync(ct);
        foreach (var agentId in requested)
        {
            var agent = agents.FirstOrDefault(a => a.Id == agentId) ?? throw GrpcErrors.NotFound("agent", agentId);
            if (agent.Kind == PluginKindValidator.DialOutAgentKind)
                throw GrpcErrors.FailedPrecondition($"hello.agent_ids: agent '{agent.Name}' has kind 'grpc-runtime': the kernel calls AgentRuntime.HandleTurn at its config endpoint; only agents of kind 'external' are served by connected runtimes.");
            if (!PluginKindValidator.ConnectedRuntimeAgentKinds.Contains(agent.Kind))
                throw GrpcErrors.FailedPrecondition($"hello.agent_ids: agent '{agent.Name}' has kind '{agent.Kind}', which the kernel runs itself; only agents of kind 'external' are served by connected runtimes.");
        }

        return requested;
    }

    private static async Task WriteAsync(RuntimeSession session, IServerStreamWriter<ConnectResponse> stream, CancellationToken ct)
    {
        try
        {
            await foreach (var response in session.Outbox.Reader.ReadAllAsync(ct))
                await stream.WriteAsync(response, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // The stream is gone; the reader loop ends too.
        }
    }

    private async Task HeartbeatAsync(RuntimeSession session, TimeSpan interval, Func<long> lastSeen, CancellationTokenSource sessionCts, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(interval, time, ct);
                if (time.GetElapsedTime(lastSeen()) > 3 * interval)
                {
                    LogSilent(logger, session.Id);
                    await sessionCts.CancelAsync();
                    return;
                }

                session.Outbox.Writer.TryWrite(new ConnectResponse { Heartbeat = new Heartbeat { Time = Timestamp.FromDateTimeOffset(time.GetUtcNow()) } });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Runtime session {SessionId} connected ({RuntimeName}, replica {InstanceId}) for agents {AgentIds}")]
    private static partial void LogConnected(ILogger logger, string sessionId, SafeLogString runtimeName, SafeLogString instanceId, IReadOnlyList<string> agentIds);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Information, Message = "Runtime session {SessionId} disconnected (silent: {Silent})")]
    private static partial void LogDisconnected(ILogger logger, string sessionId, bool silent);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, Message = "Runtime session {SessionId} sent nothing for 3 heartbeat intervals; closing it")]
    private static partial void LogSilent(ILogger logger, string sessionId);
}
