using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;
using ClawScale.Plugins.Logging;
using ClawScale.Kernel.Telemetry;
using ClawScale.Protos.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Runtime;

/// <summary>
/// The database side of external runtimes: hands claimed turns to sessions (status AwaitingRuntime, claimed by the
/// session with a lease), extends the lease on acks, stores replies as agent messages and deliveries (idempotency key
/// <c>turn:{id}:r{n}</c>, n counting the replies of an attempt, so replies re-sent after a redelivery are not delivered
/// twice), fails turns with an apology, and gives a closed session's turns back (pending, due now) for redelivery.
/// Every update is guarded by the claim, so a turn taken over after its lease expired is never touched.
/// A turn handed over counts as started (<c>clawscale.turns.started</c>) and completes or fails when the runtime says
/// so; reply deliveries continue the DISPATCH span's trace (<see cref="RuntimeHandOff"/>).
/// </summary>
internal sealed partial class RuntimeTurns(
    IServiceScopeFactory scopes,
    RuntimeHub hub,
    IPipelineSignals signals,
    DeliveryChangeFeed changes,
    IOptions<PipelineOptions> options,
    IOptions<Hosting.ClawScaleOptions> kernelOptions,
    KernelMetrics metrics,
    TimeProvider time,
    ILogger<RuntimeTurns> logger)
{
    /// <summary>What the user reads when a runtime reports a failure.</summary>
    public const string Apology = "Sorry, the assistant could not answer right now. Please try again in a moment.";

    private PipelineOptions Options => options.Value;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Sends a turn claimed by <paramref name="instance"/> (status running) to a session of its agent; without a
    /// session with capacity the turn goes back to pending, due after the poll interval, its claim attempt not counted.
    /// </summary>
    /// <param name="db">The dispatcher's context.</param>
    /// <param name="turn">The claimed turn.</param>
    /// <param name="conversation">Its conversation.</param>
    /// <param name="message">The user message it answers.</param>
    /// <param name="instance">The claim of the dispatcher (<c>claimed_by</c>).</param>
    /// <param name="handOff">Labels, start and trace context of the turn, kept by the session until the turn ends.</param>
    /// <param name="ct">Cancels the hand-off.</param>
    public async Task HandOffAsync(ClawScaleDbContext db, TurnEntity turn, ConversationEntity conversation, MessageEntity message, string instance, RuntimeHandOff handOff, CancellationToken ct)
    {
        var session = hub.Pick(turn.AgentId!, conversation.Id, turn.Id);
        if (session is null)
        {
            var due = Now + Options.PollInterval;
            await db.Turns.Where(t => t.Id == turn.Id && t.ClaimedBy == instance && t.Status == TurnStatusValue.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Status, TurnStatusValue.Pending)
                    .SetProperty(t => t.Attempts, t => t.Attempts - 1)
                    .SetProperty(t => t.NextAttemptAt, due)
                    .SetProperty(t => t.UpdatedAt, Now)
                    .SetProperty(t => t.ClaimedBy, (string?)null)
                    .SetProperty(t => t.ClaimedUntil, (DateTime?)null), ct);
            LogNoSession(logger, turn.Id, turn.AgentId!);
            return;
        }

        try
        {
            var runtimeTurn = await BuildAsync(db, turn, conversation, message, ct);
            var tag = session.ClaimTag;
            var lease = Now + Options.LeaseDuration;
            var updated = await db.Turns.Where(t => t.Id == turn.Id && t.ClaimedBy == instance && t.Status == TurnStatusValue.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Status, TurnStatusValue.AwaitingRuntime)
                    .SetProperty(t => t.ClaimedBy, tag)
                    .SetProperty(t => t.ClaimedUntil, lease)
                    .SetProperty(t => t.UpdatedAt, Now), ct);
            if (updated == 0)
            {
                session.Release(turn.Id);
                return;
            }

            // Remembered before the runtime can see the turn: its answer may come back before this method returns.
            session.Remember(turn.Id, handOff);
            if (session.IsClosed || !session.Outbox.Writer.TryWrite(new ConnectResponse { Turn = runtimeTurn }))
            {
                // The stream ended while the turn was handed over: give it back like the session's other turns.
                session.Release(turn.Id);
                await ResetAsync(db, tag, turn.Id, ct);
                return;
            }

            metrics.TurnStarted(handOff.ChannelKind, handOff.AgentKind, turn.TenantId);

            LogSent(logger, turn.Id, session.Id, turn.Attempts);
        }
        catch
        {
            session.Release(turn.Id);
            throw;
        }
    }

    /// <summary>
    /// The turn as runtimes see it: message, recent history, conversation, customer, delivery route, attempt. History is
    /// the <see cref="PipelineOptions.HistoryWindow"/> within <see cref="PipelineOptions.HistoryMaxBytes"/>, and the turn
    /// fits <c>ClawScale:Grpc:MaxSendMessageSize</c> (<see cref="RuntimeTurnBudget"/>).
    /// </summary>
    internal async Task<RuntimeTurn> BuildAsync(ClawScaleDbContext db, TurnEntity turn, ConversationEntity conversation, MessageEntity message, CancellationToken ct)
    {
        var resetAt = conversation.MemoryResetAt ?? DateTime.MinValue;
        var history = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.CreatedAt < message.CreatedAt && m.CreatedAt >= resetAt && m.Id != message.Id)
            .OrderByDescending(m => m.CreatedAt).Take(Options.HistoryWindow).ToListAsync(ct);
        history.Reverse();
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversation.CustomerId, ct);
        var route = await db.DeliveryRoutes.AsNoTracking().FirstOrDefaultAsync(r => r.Id == conversation.DeliveryRouteId, ct);
        var result = new RuntimeTurn
        {
            TurnId = turn.Id,
            TenantId = turn.TenantId,
            AgentId = turn.AgentId ?? string.Empty,
            Conversation = conversation.ToProto(),
            Message = message.ToProto(),
            Attempt = turn.Attempts,
        };
        if (customer is not null) result.Customer = customer.ToProto();
        if (route is not null) result.DeliveryRoute = route.ToProto();
        RuntimeTurnBudget.Fill(result, history.Select(m => m.ToProto()).ToList(), Options.HistoryMaxBytes, kernelOptions.Value.Grpc.MaxSendMessageSize);
        if (result.HistoryTruncated || result.MessageTruncated)
            LogFitted(logger, turn.Id, result.History.Count, history.Count, result.HistoryOmitted, result.MessageTruncated);
        return result;
    }

    /// <summary>The runtime acknowledged the turn: its lease is extended.</summary>
    public async Task AckAsync(RuntimeSession session, string turnId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        if (!await ExtendAsync(db, session, turnId, ct)) Forget(session, turnId, "ack");
    }

    private async Task<bool> ExtendAsync(ClawScaleDbContext db, RuntimeSession session, string turnId, CancellationToken ct)
    {
        var tag = session.ClaimTag;
        var lease = Now + Options.LeaseDuration;
        return await db.Turns.Where(t => t.Id == turnId && t.ClaimedBy == tag && t.Status == TurnStatusValue.AwaitingRuntime)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ClaimedUntil, lease).SetProperty(t => t.UpdatedAt, Now), ct) == 1;
    }

    /// <summary>
    /// Stores a reply: agent messages and their deliveries; <c>final</c> completes the turn. Returns the delivery ids,
    /// or null when the session no longer holds the turn (its lease expired and it was taken over, or it is finished).
    /// </summary>
    public async Task<List<string>?> ReplyAsync(RuntimeSession session, TurnReply reply, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<DeliveryWriter>();
        var tag = session.ClaimTag;
        var turn = await db.Turns.AsNoTracking().FirstOrDefaultAsync(t => t.Id == reply.TurnId && t.ClaimedBy == tag && t.Status == TurnStatusValue.AwaitingRuntime, ct);
        if (turn is null)
        {
            Forget(session, reply.TurnId, "reply");
            return null;
        }

        var conversation = await db.Conversations.AsNoTracking().FirstAsync(c => c.Id == turn.ConversationId, ct);
        var message = await db.Messages.AsNoTracking().FirstAsync(m => m.Id == turn.MessageId, ct);
        var inboundJson = await db.InboundEvents.Where(e => e.Id == turn.InboundEventId).Select(e => e.PayloadJson).FirstOrDefaultAsync(ct);
        var inbound = inboundJson is null ? null : AttachmentJson.ReadInbound(inboundJson);
        var messages = reply.Messages.Select((m, i) => (m.Text, Attachments: AttachmentValidation.Read(m.Attachments, $"reply.messages[{i}].attachments"))).ToList();
        var first = session.NextReplyNumbers(turn.Id, messages.Count);
        var handOff = session.HandOffOf(turn.Id);
        var traceParent = handOff?.TraceParent ?? turn.TraceParent;

        var ids = new List<string>();
        var strategy = db.Database.CreateExecutionStrategy();
        var stored = await strategy.ExecuteAsync(async c =>
        {
            ids.Clear();
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(c);
            var now = Now;
            for (var i = 0; i < messages.Count; i++)
            {
                var n = first + i;
                var (text, attachments) = messages[i];
                var result = await writer.EnqueueAsync(turn.TenantId, conversation.DeliveryRouteId, conversation.Id, turn.Id, $"turn:{turn.Id}:r{n}",
                    text.Length == 0 ? null : text, attachments, n == 0 ? message.ProviderMessageId : null, inbound?.Properties, traceParent, c);
                if (result.Delivery is not null) ids.Add(result.Delivery.Id);
                if (result.Status != DeliveryEnqueueStatus.Created) continue;
                db.Messages.Add(new MessageEntity
                {
                    Id = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
                    TenantId = turn.TenantId,
                    ConversationId = conversation.Id,
                    Role = MessageRoleValue.Agent,
                    Text = text,
                    AttachmentsJson = AttachmentJson.Write(attachments),
                    TurnId = turn.Id,
                    CreatedAt = now.AddTicks(i),
                });
            }

            await db.SaveChangesAsync(c);
            var updated = reply.Final
                ? await db.Turns.Where(t => t.Id == turn.Id && t.ClaimedBy == tag && t.Status == TurnStatusValue.AwaitingRuntime)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(t => t.Status, TurnStatusValue.Completed)
                        .SetProperty(t => t.LastError, string.Empty)
                        .SetProperty(t => t.CompletedAt, now)
                        .SetProperty(t => t.UpdatedAt, now)
                        .SetProperty(t => t.ClaimedBy, (string?)null)
                        .SetProperty(t => t.ClaimedUntil, (DateTime?)null), c)
                : await ExtendAsync(db, session, turn.Id, c) ? 1 : 0;
            if (updated == 0)
            {
                await transaction.RollbackAsync(c);
                return false;
            }

            await transaction.CommitAsync(c);
            return true;
        }, ct);

        if (!stored)
        {
            Forget(session, turn.Id, "reply");
            return null;
        }

        if (ids.Count > 0)
        {
            signals.DeliveriesAvailable();
            changes.Notify();
        }

        if (reply.Final)
        {
            if (handOff is not null) metrics.TurnFinished(handOff.ChannelKind, handOff.AgentKind, turn.TenantId, failed: false, time.GetElapsedTime(handOff.StartedTimestamp));
            session.Release(turn.Id);
            signals.TurnsAvailable();
            LogCompleted(logger, turn.Id, session.Id);
        }

        return ids;
    }

    /// <summary>The runtime reported a failure: the user gets an apology, the turn fails with the error (admins see it).</summary>
    public async Task<bool> FailAsync(RuntimeSession session, TurnFailure failure, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<DeliveryWriter>();
        var tag = session.ClaimTag;
        var turn = await db.Turns.AsNoTracking().FirstOrDefaultAsync(t => t.Id == failure.TurnId && t.ClaimedBy == tag && t.Status == TurnStatusValue.AwaitingRuntime, ct);
        if (turn is null)
        {
            Forget(session, failure.TurnId, "failure");
            return false;
        }

        var conversation = await db.Conversations.AsNoTracking().FirstAsync(c => c.Id == turn.ConversationId, ct);
        var handOff = session.HandOffOf(turn.Id);
        var error = "runtime: " + (failure.Error.Length == 0 ? "the runtime reported a failure without a message" : failure.Error);
        if (error.Length > 2000) error = error[..2000];
        var strategy = db.Database.CreateExecutionStrategy();
        var failed = await strategy.ExecuteAsync(async c =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(c);
            var now = Now;
            var result = await writer.EnqueueAsync(turn.TenantId, conversation.DeliveryRouteId, conversation.Id, turn.Id, $"turn:{turn.Id}:failure", Apology, null, null, null, handOff?.TraceParent ?? turn.TraceParent, c);
            if (result.Status == DeliveryEnqueueStatus.Created)
            {
                db.Messages.Add(new MessageEntity
                {
                    Id = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
                    TenantId = turn.TenantId,
                    ConversationId = conversation.Id,
                    Role = MessageRoleValue.System,
                    Text = Apology,
                    TurnId = turn.Id,
                    CreatedAt = now,
                });
                await db.SaveChangesAsync(c);
            }

            var updated = await db.Turns.Where(t => t.Id == turn.Id && t.ClaimedBy == tag && t.Status == TurnStatusValue.AwaitingRuntime)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Status, TurnStatusValue.Failed)
                    .SetProperty(t => t.LastError, error)
                    .SetProperty(t => t.CompletedAt, now)
                    .SetProperty(t => t.UpdatedAt, now)
                    .SetProperty(t => t.ClaimedBy, (string?)null)
                    .SetProperty(t => t.ClaimedUntil, (DateTime?)null), c);
            if (updated == 0)
            {
                await transaction.RollbackAsync(c);
                return false;
            }

            await transaction.CommitAsync(c);
            return true;
        }, ct);

        session.Release(turn.Id);
        if (!failed) return false;
        if (handOff is not null) metrics.TurnFinished(handOff.ChannelKind, handOff.AgentKind, turn.TenantId, failed: true, time.GetElapsedTime(handOff.StartedTimestamp));
        signals.DeliveriesAvailable();
        signals.TurnsAvailable();
        changes.Notify();
        LogFailed(logger, turn.Id, session.Id, error);
        return true;
    }

    /// <summary>The session's stream ended: every turn it holds becomes pending and due now, for the next replica.</summary>
    public async Task ReleaseSessionAsync(RuntimeSession session)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var released = await ResetAsync(db, session.ClaimTag, null, timeout.Token);
            if (released > 0)
            {
                LogReleased(logger, session.Id, released);
                signals.TurnsAvailable();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogReleaseFailed(logger, session.Id, ex);
        }
    }

    private async Task<int> ResetAsync(ClawScaleDbContext db, string tag, string? turnId, CancellationToken ct)
    {
        var now = Now;
        var query = db.Turns.Where(t => t.ClaimedBy == tag && t.Status == TurnStatusValue.AwaitingRuntime);
        if (turnId is not null) query = query.Where(t => t.Id == turnId);
        return await query.ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, TurnStatusValue.Pending)
            .SetProperty(t => t.NextAttemptAt, now)
            .SetProperty(t => t.UpdatedAt, now)
            .SetProperty(t => t.ClaimedBy, (string?)null)
            .SetProperty(t => t.ClaimedUntil, (DateTime?)null), ct);
    }

    private void Forget(RuntimeSession session, string turnId, string what)
    {
        session.Release(turnId);
        LogNotHeld(logger, session.Id, what, turnId);
    }

    [LoggerMessage(EventId = 5030, Level = LogLevel.Debug, Message = "Turn {TurnId}: no runtime session of agent {AgentId} can take it here; it stays pending")]
    private static partial void LogNoSession(ILogger logger, string turnId, string agentId);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Debug, Message = "Turn {TurnId} sent to runtime session {SessionId} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, string turnId, string sessionId, int attempt);

    [LoggerMessage(EventId = 5032, Level = LogLevel.Debug, Message = "Turn {TurnId} completed by runtime session {SessionId}")]
    private static partial void LogCompleted(ILogger logger, string turnId, string sessionId);

    [LoggerMessage(EventId = 5033, Level = LogLevel.Warning, Message = "Turn {TurnId} failed in runtime session {SessionId}: {Error}")]
    private static partial void LogFailed(ILogger logger, string turnId, string sessionId, SafeLogString error);

    [LoggerMessage(EventId = 5034, Level = LogLevel.Information, Message = "Runtime session {SessionId} ended: {Count} unfinished turns go back to pending for redelivery")]
    private static partial void LogReleased(ILogger logger, string sessionId, int count);

    [LoggerMessage(EventId = 5035, Level = LogLevel.Warning, Message = "Runtime session {SessionId} ended, but its turns could not be released now; their leases will expire")]
    private static partial void LogReleaseFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(EventId = 5037, Level = LogLevel.Debug, Message = "Turn {TurnId}: history cut to fit the byte limits: {Sent} of {Window} messages sent ({Omitted} oldest left out), message cut: {MessageCut}")]
    private static partial void LogFitted(ILogger logger, string turnId, int sent, int window, int omitted, bool messageCut);

    [LoggerMessage(EventId = 5036, Level = LogLevel.Information, Message = "Runtime session {SessionId} sent a {What} for turn {TurnId}, which it does not hold (finished, or taken over after its lease expired); ignored")]
    private static partial void LogNotHeld(ILogger logger, string sessionId, string what, SafeLogString turnId);
}
