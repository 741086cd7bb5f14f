using ClawScale.Kernel.Agents;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Hosting;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// The DISPATCH stage: claims due turns (<see cref="TurnClaimer"/>), answers kernel commands, otherwise runs the bound
/// agent with a window of history, and in one transaction stores the replies, creates their outbound deliveries (the
/// idempotency key <c>turn:{id}:{n}</c> makes a re-run after a crash deliver nothing twice) and completes the turn.
/// Agent failures become an apology to the user and a failed turn (last_error) admins can see.
/// </summary>
internal sealed partial class TurnDispatcher(
    IServiceScopeFactory scopes,
    AgentRegistry agents,
    Runtime.RuntimeHub runtimes,
    Runtime.RuntimeTurns runtimeTurns,
    IPluginInvoker invoker,
    IPipelineSignals signals,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<TurnDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 32;
    private static readonly string[] ConnectedRuntimeKinds = [.. Plugins.PluginKindValidator.ConnectedRuntimeAgentKinds];
    private readonly string _instance = KernelInstance.Id;
    private readonly PipelineOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            List<string> claimed;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
                var now = time.GetUtcNow().UtcDateTime;
                // Not cancelled by shutdown: a claim committed while the kernel stops must still come back here to be released.
                claimed = await TurnClaimer.ClaimAsync(db, _instance, now, now + _options.LeaseDuration, BatchSize, runtimes.ServedAgentIds(), CancellationToken.None);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogClaimFailed(logger, ex);
                await signals.WaitForTurnsAsync(_options.PollInterval * 5, stoppingToken);
                continue;
            }

            if (claimed.Count == 0)
            {
                await signals.WaitForTurnsAsync(_options.PollInterval, stoppingToken);
                continue;
            }

            try
            {
                await ProcessBatchAsync(claimed, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }

            if (stoppingToken.IsCancellationRequested)
            {
                // Interrupted turns end quietly (see ProcessBatchAsync), so the batch is released whatever way it ended.
                await ReleaseAsync(claimed);
                return;
            }
        }
    }

    private Task ProcessBatchAsync(List<string> claimed, CancellationToken stoppingToken) =>
            Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken }, async (id, ct) =>
            {
                try
                {
                    await ProcessAsync(id, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Shutdown: the lease expires and another instance (or the next start) takes the turn over.
                }
                catch (Exception ex)
                {
                    LogTurnCrashed(logger, id, ex);
                }
            });

    /// <summary>
    /// On shutdown, gives back the turns of the batch this kernel has not finished (interrupted or never started):
    /// pending and due now, so the next start (or another instance) runs them at once instead of after the lease.
    /// Guarded by the claim, so a turn another worker took over is not touched.
    /// </summary>
    private async Task ReleaseAsync(List<string> claimed)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            var released = await db.Turns
                .Where(t => claimed.Contains(t.Id) && t.ClaimedBy == _instance && t.Status == TurnStatusValue.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Status, TurnStatusValue.Pending)
                    .SetProperty(t => t.NextAttemptAt, now)
                    .SetProperty(t => t.UpdatedAt, now)
                    .SetProperty(t => t.ClaimedBy, (string?)null)
                    .SetProperty(t => t.ClaimedUntil, (DateTime?)null), timeout.Token);
            if (released > 0) LogReleased(logger, released);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The leases expire and the turns are taken over then.
        }
    }

    private async Task ProcessAsync(string turnId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var turn = await db.Turns.FirstOrDefaultAsync(t => t.Id == turnId && t.ClaimedBy == _instance, ct);
        if (turn is null) return;
        var conversation = await db.Conversations.FirstAsync(c => c.Id == turn.ConversationId, ct);
        var message = await db.Messages.FirstAsync(m => m.Id == turn.MessageId, ct);
        var inboundJson = await db.InboundEvents.Where(e => e.Id == turn.InboundEventId).Select(e => e.PayloadJson).FirstOrDefaultAsync(ct);
        var inbound = inboundJson is null ? null : AttachmentJson.ReadInbound(inboundJson);

        var replies = new List<AgentReply>();
        var role = MessageRoleValue.Agent;
        string? error = null;
        var commandAnswer = await scope.ServiceProvider.GetRequiredService<KernelCommands>().TryHandleAsync(turn, conversation, message, inbound, ct);
        if (commandAnswer is not null)
        {
            replies.Add(new AgentReply(commandAnswer));
            role = MessageRoleValue.System;
        }
        else if (turn.AgentId is { } agentId && await db.Agents.AnyAsync(a => a.Id == agentId && ConnectedRuntimeKinds.Contains(a.Kind), ct))
        {
            // Connected runtime (kind external): the turn goes to a connected session, which replies on its stream (RuntimeTurns).
            await runtimeTurns.HandOffAsync(db, turn, conversation, message, _instance, ct);
            return;
        }
        else
        {
            (replies, error) = await RunAgentAsync(db, turn, conversation, message, ct);
            if (error is not null && replies.Count == 0) role = MessageRoleValue.System;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        var completed = await strategy.ExecuteAsync(async c =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(c);
            var writer = scope.ServiceProvider.GetRequiredService<DeliveryWriter>();
            for (var i = 0; i < replies.Count; i++)
            {
                var reply = replies[i];
                var attachments = AttachmentJson.Write(reply.Attachments);
                db.Messages.Add(new MessageEntity
                {
                    Id = NewId(),
                    TenantId = turn.TenantId,
                    ConversationId = conversation.Id,
                    Role = role,
                    Text = reply.Text ?? string.Empty,
                    AttachmentsJson = attachments,
                    TurnId = turn.Id,
                    CreatedAt = now.AddTicks(i),
                });
                // Same key on a re-run after a crash: the first result stands, nothing is delivered twice.
                await writer.EnqueueAsync(turn.TenantId, conversation.DeliveryRouteId, conversation.Id, turn.Id, $"turn:{turn.Id}:{i}",
                    reply.Text, reply.Attachments, i == 0 ? message.ProviderMessageId : null, inbound?.Properties, c);
            }

            await db.SaveChangesAsync(c);
            var status = error is null ? TurnStatusValue.Completed : TurnStatusValue.Failed;
            var updated = await db.Turns.Where(t => t.Id == turn.Id && t.ClaimedBy == _instance)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Status, status)
                    .SetProperty(t => t.LastError, error ?? string.Empty)
                    .SetProperty(t => t.CompletedAt, now)
                    .SetProperty(t => t.UpdatedAt, now)
                    .SetProperty(t => t.ClaimedBy, (string?)null)
                    .SetProperty(t => t.ClaimedUntil, (DateTime?)null), c);
            if (updated == 0)
            {
                // Our lease was taken over by another worker: let it finish the turn.
                await transaction.RollbackAsync(c);
                return false;
            }

            await transaction.CommitAsync(c);
            return true;
        }, ct);

        if (!completed) return;
        if (replies.Count > 0) signals.DeliveriesAvailable();
        if (error is not null) LogTurnFailed(logger, turn.Id, error);
    }

    private async Task<(List<AgentReply> Replies, string? Error)> RunAgentAsync(ClawScaleDbContext db, TurnEntity turn, ConversationEntity conversation, MessageEntity message, CancellationToken ct)
    {
        if (turn.AgentId is null)
            return ([new AgentReply("No assistant is set up for this chat yet. Please try again later.")], "no agent binding matches this customer and channel; create one with AdminService.CreateAgentBinding");
        var (handle, problem) = await agents.GetAsync(turn.AgentId, ct);
        if (handle is null) return ([new AgentReply("Sorry, the assistant is not available right now. Please try again later.")], problem);

        Func<CancellationToken, IAsyncEnumerable<AgentReply>> call;
        var timeout = _options.TurnTimeout;
        if (handle.Backend is DialOutRuntimeBackend dialOut)
        {
            // Dial-out runtime: the same RuntimeTurn a connected runtime gets; the backend's deadlines and retries bound the call.
            var runtimeTurn = await runtimeTurns.BuildAsync(db, turn, conversation, message, ct);
            call = c => dialOut.HandleAsync(runtimeTurn, c);
            timeout = dialOut.Budget;
        }
        else
        {
            var agentTurn = await BuildAgentTurnAsync(db, turn, conversation, message, ct);
            call = c => handle.Backend.RespondAsync(agentTurn, c);
        }

        var replies = new List<AgentReply>();
        try
        {
            await foreach (var reply in invoker.InvokeStreamAsync(handle.Source, "RespondAsync", call, timeout, ct))
                replies.Add(reply);
            return (replies, null);
        }
        catch (PluginCallException ex) when (ex.InnerException is AgentException agentError)
        {
            return ([new AgentReply(agentError.UserMessage)], $"{handle.Kind} agent: {agentError.Message}");
        }
        catch (PluginCallException ex)
        {
            return ([new AgentReply("Sorry, the assistant could not answer right now. Please try again in a moment.")], ex.Message);
        }
    }

    private async Task<AgentTurn> BuildAgentTurnAsync(ClawScaleDbContext db, TurnEntity turn, ConversationEntity conversation, MessageEntity message, CancellationToken ct)
    {
        var resetAt = conversation.MemoryResetAt ?? DateTime.MinValue;
        var history = await db.Messages
            .Where(m => m.ConversationId == conversation.Id && m.CreatedAt < message.CreatedAt && m.CreatedAt >= resetAt && m.Id != message.Id)
            .OrderByDescending(m => m.CreatedAt).Take(_options.HistoryWindow).ToListAsync(ct);
        history.Reverse();
        var channelKind = await db.Channels.Where(c => c.Id == conversation.ChannelId).Select(c => c.Kind).FirstAsync(ct);
        var customerName = await db.Customers.Where(c => c.Id == conversation.CustomerId).Select(c => c.DisplayName).FirstOrDefaultAsync(ct);
        return new AgentTurn
        {
            TurnId = turn.Id,
            ConversationId = conversation.Id,
            CustomerId = conversation.CustomerId,
            CustomerDisplayName = string.IsNullOrEmpty(customerName) ? null : customerName,
            ChannelKind = channelKind,
            Message = ToConversationMessage(message),
            History = history.Select(ToConversationMessage).ToList(),
        };
    }

    private static ConversationMessage ToConversationMessage(MessageEntity m) => new(
        m.Role switch { MessageRoleValue.User => ConversationRole.User, MessageRoleValue.Agent => ConversationRole.Agent, _ => ConversationRole.System },
        m.Text.Length == 0 ? null : m.Text,
        AttachmentJson.Read(m.AttachmentsJson),
        new DateTimeOffset(DateTime.SpecifyKind(m.CreatedAt, DateTimeKind.Utc)));

    private string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString();

    [LoggerMessage(EventId = 2401, Level = LogLevel.Error, Message = "Claiming turns failed; retrying")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Error, Message = "Processing turn {TurnId} failed; its lease will expire and it will be retried")]
    private static partial void LogTurnCrashed(ILogger logger, string turnId, Exception exception);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "Shutdown: released {Count} unfinished turns for the next start")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Turn {TurnId} failed: {Error}")]
    private static partial void LogTurnFailed(ILogger logger, string turnId, string error);
}
