using ClawScale.Kernel.Pipeline.Delivery;
using System.Collections.Concurrent;
using ClawScale.Kernel.Agents;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Telemetry;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Hosting;
using ClawScale.Plugins.Logging;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>
/// The DISPATCH stage (a <see cref="ClaimLoop{THandOff,TItem}"/>): up to <see cref="PipelineOptions.MaxConcurrentTurns"/>
/// turns in flight. Turns come handed off by ACCEPT with their inputs (<see cref="TurnPool"/>), or claimed from the
/// database (<see cref="TurnClaimer"/>) with their inputs loaded by one joined query. It answers kernel
/// commands, otherwise runs the bound agent with a window of history, and hands the outcome to a group commit
/// (<see cref="TurnCompletionWriter"/>) that stores replies, creates their outbound deliveries (the idempotency key
/// <c>turn:{id}:{n}</c> makes a re-run after a crash deliver nothing twice) and completes the turns, many per
/// transaction; the first reply of an idle route is handed to DELIVER in memory (<see cref="Delivery.DeliveryPool"/>).
/// A slow agent holds only its own slot: other turns keep being claimed and answered.
/// Agent failures become an apology to the user and a failed turn (last_error) admins can see.
/// Each turn is the span <c>DISPATCH</c> (child of the context stored with the turn at ACCEPT; its own context is stored
/// with the deliveries it creates) and is counted in <c>clawscale.turns.*</c> and <c>clawscale.turn.duration</c>.
/// </summary>
internal sealed partial class TurnDispatcher : ClaimLoop<TurnInput, TurnInput>
{
    private const int MaxClaimPerQuery = 64;
    private static readonly string[] ConnectedRuntimeKinds = [.. Plugins.PluginKindValidator.ConnectedRuntimeAgentKinds];
    private readonly string _instance = KernelInstance.Id;
    private readonly IServiceScopeFactory scopes;
    private readonly AgentRegistry agents;
    private readonly Runtime.RuntimeHub runtimes;
    private readonly Runtime.RuntimeTurns runtimeTurns;
    private readonly IPluginInvoker invoker;
    private readonly IPipelineSignals signals;
    private readonly DeliveryChangeFeed changes;
    private readonly DeliveryPool deliveries;
    private readonly TimeProvider time;
    private readonly KernelMetrics metrics;
    private readonly ILogger<TurnDispatcher> logger;
    private readonly PipelineOptions _options;
    private readonly SqliteWriteGate _gate;
    private readonly GroupCommitQueue<TurnCompletion, bool> _completions;
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    public TurnDispatcher(
        IServiceScopeFactory scopes,
        AgentRegistry agents,
        Runtime.RuntimeHub runtimes,
        Runtime.RuntimeTurns runtimeTurns,
        IPluginInvoker invoker,
        IPipelineSignals signals,
        DeliveryChangeFeed changes,
        TurnPool pool,
        DeliveryPool deliveries,
        SqliteWriteGate gate,
        IOptions<PipelineOptions> options,
        KernelMetrics metrics,
        TimeProvider time,
        ILogger<TurnDispatcher> logger)
        : base(pool, time, logger)
    {
        this.metrics = metrics;
        this.scopes = scopes;
        this.agents = agents;
        this.runtimes = runtimes;
        this.runtimeTurns = runtimeTurns;
        this.invoker = invoker;
        this.signals = signals;
        this.changes = changes;
        this.deliveries = deliveries;
        _gate = gate;
        this.time = time;
        this.logger = logger;
        _options = options.Value;
        _completions = new GroupCommitQueue<TurnCompletion, bool>(
            "turn completion", int.MaxValue, 256, 1,
            async (items, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
                using (await gate.EnterAsync(db, ct)) return await TurnCompletionWriter.WriteAsync(db, items, _instance, deliveries, _options.LeaseDuration, signals, time, ct);
            },
            logger);
    }

    protected override int MaxClaim => MaxClaimPerQuery;

    protected override TimeSpan PollInterval => _options.PollInterval;

    protected override IDisposable SubscribeToSignal(Action onSignal) => signals.OnTurns(onSignal);

    protected override Task RunAsync(TurnInput item, CancellationToken stoppingToken) => RunTurnAsync(item, stoppingToken);

    protected override async Task OnStoppedAsync()
    {
        // Interrupted turns end quietly (see RunTurnAsync); those not completed are given back for the next start.
        await ReleaseAsync([.. _inFlight.Keys]);
        await _completions.DisposeAsync();
    }

    protected override Task ReleaseUnstartedAsync(IReadOnlyList<TurnInput> items) => ReleaseAsync([.. items.Select(i => i.Turn.Id)]);

    /// <summary>Claims up to <paramref name="limit"/> turns (<see cref="TurnClaimer"/>) and loads what running them needs.</summary>
    protected override async Task<(IReadOnlyList<TurnInput> Items, bool MoreWaiting)> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        // Not cancelled by shutdown: a claim committed while the kernel stops must still come back here to be released.
        List<string> ids;
        bool moreWaiting;
        using (await _gate.EnterAsync(db, CancellationToken.None))
            (ids, moreWaiting) = await TurnClaimer.ClaimAsync(db, _instance, now, now + _options.LeaseDuration, limit, runtimes.ServedAgentIds(), CancellationToken.None);
        return (await LoadAsync(db, ids), moreWaiting);
    }

    /// <summary>
    /// Takes the turns ACCEPT stored already claimed by this instance, with their inputs; loads the history window of
    /// those whose conversation existed before (a new conversation has none).
    /// </summary>
    protected override async Task<IReadOnlyList<TurnInput>> PrepareAsync(IReadOnlyList<TurnInput> handedOff, CancellationToken cancellationToken)
    {
        foreach (var input in handedOff) _inFlight[input.Turn.Id] = 0;
        var withoutHistory = handedOff.Where(i => i.History is null).ToList();
        if (withoutHistory.Count == 0) return handedOff;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await LoadHistoryAsync(scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>(), withoutHistory);
            return handedOff;
        }
        catch
        {
            // Not loaded: leave the claims to expire (or be released on shutdown).
            foreach (var input in handedOff) _inFlight.TryRemove(input.Turn.Id, out _);
            throw;
        }
    }

    /// <summary>Loads what running the claimed turns needs, in one joined query and one history query.</summary>
    private async Task<List<TurnInput>> LoadAsync(ClawScaleDbContext db, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0) return [];
        foreach (var id in ids) _inFlight[id] = 0;
        try
        {
            var rows = await (
                from t in db.Turns
                where ids.Contains(t.Id) && t.ClaimedBy == _instance
                join c in db.Conversations on t.ConversationId equals c.Id
                join m in db.Messages on t.MessageId equals m.Id
                join r in db.DeliveryRoutes on c.DeliveryRouteId equals r.Id into routes
                from r in routes.DefaultIfEmpty()
                select new TurnInput(
                    t,
                    c,
                    m,
                    db.InboundEvents.Where(e => e.Id == t.InboundEventId).Select(e => e.PayloadJson).FirstOrDefault(),
                    db.Agents.Where(a => a.Id == t.AgentId).Select(a => a.Kind).FirstOrDefault(),
                    db.Agents.Where(a => a.Id == t.AgentId).Select(a => (DateTime?)a.UpdatedAt).FirstOrDefault(),
                    db.Channels.Where(ch => ch.Id == c.ChannelId).Select(ch => ch.Kind).FirstOrDefault() ?? string.Empty,
                    db.Customers.Where(x => x.Id == c.CustomerId).Select(x => x.DisplayName).FirstOrDefault(),
                    r == null ? null : new RouteAddress(r.Id, r.ChannelId, r.ExternalChatId, r.ExternalThreadId)))
                .AsNoTracking()
                .ToListAsync(CancellationToken.None);
            var loaded = rows.Select(r => r.Turn.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in ids.Where(id => !loaded.Contains(id))) _inFlight.TryRemove(id, out _);
            await LoadHistoryAsync(db, rows);
            return rows;
        }
        catch
        {
            // Not loaded: leave the claims to expire (or be released on shutdown).
            foreach (var id in ids) _inFlight.TryRemove(id, out _);
            throw;
        }
    }

    /// <summary>
    /// The history window (<see cref="PipelineOptions.HistoryWindow"/> messages before the turn's message, since the
    /// last <c>/new</c>) of every claimed turn, in one query: <c>ROW_NUMBER() OVER (PARTITION BY conversation_id …)</c>
    /// over the claimed conversations (one turn per conversation runs at a time, see <see cref="TurnClaimer"/>).
    /// </summary>
    private async Task LoadHistoryAsync(ClawScaleDbContext db, List<TurnInput> inputs)
    {
        if (inputs.Count == 0 || _options.HistoryWindow <= 0)
        {
            foreach (var input in inputs) input.History = [];
            return;
        }

        var sql = new SqlText().Raw("WITH v(conversation_id, before_at, reset_at, message_id) AS (VALUES ")
            .Rows(inputs, i => [i.Conversation.Id, i.Message.CreatedAt, i.Conversation.MemoryResetAt ?? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), i.Message.Id])
            .Raw("""
                )
                SELECT x.id, x.tenant_id, x.conversation_id, x.role, x.text, x.attachments_json, x.provider_message_id, x.turn_id, x.created_at
                FROM (SELECT m.id, m.tenant_id, m.conversation_id, m.role, m.text, m.attachments_json, m.provider_message_id, m.turn_id, m.created_at,
                             ROW_NUMBER() OVER (PARTITION BY m.conversation_id ORDER BY m.created_at DESC, m.id DESC) AS rn
                      FROM messages m JOIN v ON m.conversation_id = v.conversation_id
                      WHERE m.created_at < v.before_at AND m.created_at >= v.reset_at AND m.id <> v.message_id) x
                WHERE x.rn <= 
                """).P(_options.HistoryWindow)
            .Raw(" ORDER BY x.conversation_id, x.created_at, x.id");
        var rows = await sql.QueryAsync(db, r => new MessageEntity
        {
            Id = r.GetString(0),
            TenantId = r.GetString(1),
            ConversationId = r.GetString(2),
            Role = (MessageRoleValue)r.GetInt32(3),
            Text = r.GetString(4),
            AttachmentsJson = r.GetString(5),
            ProviderMessageId = r.GetString(6),
            TurnId = r.IsDBNull(7) ? null : r.GetString(7),
            CreatedAt = DateTime.SpecifyKind(r.GetDateTime(8), DateTimeKind.Utc),
        }, CancellationToken.None);
        var byConversation = rows.GroupBy(m => m.ConversationId).ToDictionary(g => g.Key, g => (IReadOnlyList<MessageEntity>)g.ToList(), StringComparer.Ordinal);
        foreach (var input in inputs) input.History = byConversation.GetValueOrDefault(input.Conversation.Id) ?? [];
    }

    private async Task RunTurnAsync(TurnInput input, CancellationToken stoppingToken)
    {
        var done = false;
        try
        {
            done = await ProcessAsync(input, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: released below, or its lease expires and another instance takes it over.
        }
        catch (Exception ex)
        {
            LogTurnCrashed(logger, input.Turn.Id, ex);
            done = true; // the lease expires and the turn is retried; nothing to release
        }
        finally
        {
            if (done || !stoppingToken.IsCancellationRequested) _inFlight.TryRemove(input.Turn.Id, out _);
        }
    }

    /// <summary>
    /// On shutdown, gives back the claimed turns this kernel has not finished (interrupted or never started):
    /// pending and due now, so the next start (or another instance) runs them at once instead of after the lease.
    /// Guarded by the claim, so a turn another worker took over is not touched.
    /// </summary>
    private async Task ReleaseAsync(List<string> claimed)
    {
        if (claimed.Count == 0) return;
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

    /// <summary>Runs one claimed turn; true when it ended (stored, handed off, or claim lost), false when interrupted.</summary>
    private async Task<bool> ProcessAsync(TurnInput input, CancellationToken ct)
    {
        var (turn, conversation, message) = (input.Turn, input.Conversation, input.Message);
        var agentKind = input.AgentKind ?? (turn.AgentId is null ? KernelMetrics.NoAgentKind : KernelMetrics.UnknownKind);
        using var activity = KernelTracing.StartDispatch(turn.TraceParent, turn.Id, turn.TenantId, input.ChannelKind, agentKind, turn.Attempts);
        var started = time.GetTimestamp();
        var inbound = input.InboundJson is null ? null : AttachmentJson.ReadInbound(input.InboundJson);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();

        var replies = new List<AgentReply>();
        var role = MessageRoleValue.Agent;
        string? error = null;
        var commandAnswer = await scope.ServiceProvider.GetRequiredService<KernelCommands>().TryHandleAsync(turn, conversation, message, inbound, ct);
        if (commandAnswer is not null)
        {
            agentKind = KernelMetrics.KernelAgentKind;
            activity?.SetTag(KernelMetrics.AgentKindTag, agentKind);
            metrics.TurnStarted(input.ChannelKind, agentKind, turn.TenantId);
            replies.Add(new AgentReply(commandAnswer));
            role = MessageRoleValue.System;
        }
        else if (turn.AgentId is not null && input.AgentKind is { } kind && ConnectedRuntimeKinds.Contains(kind))
        {
            // Connected runtime (kind external): the turn goes to a connected session, which replies on its stream (RuntimeTurns).
            var handOff = new Runtime.RuntimeHandOff(input.ChannelKind, kind, started, KernelTracing.TraceParentOf(activity, turn.TraceParent));
            await runtimeTurns.HandOffAsync(db, turn, conversation, message, _instance, handOff, ct);
            return true;
        }
        else
        {
            metrics.TurnStarted(input.ChannelKind, agentKind, turn.TenantId);
            (replies, error) = await RunAgentAsync(db, input, ct);
            if (error is not null && replies.Count == 0) role = MessageRoleValue.System;
        }

        ct.ThrowIfCancellationRequested();
        var completion = new TurnCompletion(turn, conversation, input.Route, replies, role, error, message.ProviderMessageId, inbound?.Properties,
            KernelTracing.TraceParentOf(activity, turn.TraceParent));
        // Retried while the database is away: the agent has answered, and a lost outcome would have it called again.
        var stored = await _completions.SubmitUntilAsync(completion, turn.ClaimedUntil, time,
            (ex, delay) => LogCompletionRetrying(logger, turn.Id, delay.TotalMilliseconds, ex));
        if (!stored) return true; // our lease was taken over by another worker: it finishes the turn
        metrics.TurnFinished(input.ChannelKind, agentKind, turn.TenantId, error is not null, time.GetElapsedTime(started));
        if (replies.Count > 0) changes.Notify();

        if (error is not null)
        {
            KernelTracing.SetError(activity, "The turn failed; the user got an apology.");
            LogTurnFailed(logger, turn.Id, error);
        }

        return true;
    }

    private async Task<(List<AgentReply> Replies, string? Error)> RunAgentAsync(ClawScaleDbContext db, TurnInput input, CancellationToken ct)
    {
        var (turn, conversation, message) = (input.Turn, input.Conversation, input.Message);
        if (turn.AgentId is null)
            return ([new AgentReply("No assistant is set up for this chat yet. Please try again later.")], "no agent binding matches this customer and channel; create one with AdminService.CreateAgentBinding");
        var (handle, problem) = await agents.GetAsync(turn.AgentId, input.AgentVersion, ct);
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
            var agentTurn = await BuildAgentTurnAsync(db, input, ct);
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

    private async Task<AgentTurn> BuildAgentTurnAsync(ClawScaleDbContext db, TurnInput input, CancellationToken ct)
    {
        var (turn, conversation, message) = (input.Turn, input.Conversation, input.Message);
        var history = input.History;
        if (history is null)
        {
            var resetAt = conversation.MemoryResetAt ?? DateTime.MinValue;
            var loaded = await db.Messages
                .Where(m => m.ConversationId == conversation.Id && m.CreatedAt < message.CreatedAt && m.CreatedAt >= resetAt && m.Id != message.Id)
                .OrderByDescending(m => m.CreatedAt).Take(_options.HistoryWindow).ToListAsync(ct);
            loaded.Reverse();
            history = loaded;
        }

        var (channelKind, customerName) = (input.ChannelKind, input.CustomerName);
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

    [LoggerMessage(EventId = 2402, Level = LogLevel.Error, Message = "Processing turn {TurnId} failed; its lease will expire and it will be retried")]
    private static partial void LogTurnCrashed(ILogger logger, string turnId, Exception exception);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Warning, Message = "Storing the outcome of turn {TurnId} failed; trying again in {DelayMs} ms")]
    private static partial void LogCompletionRetrying(ILogger logger, string turnId, double delayMs, Exception exception);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "Shutdown: released {Count} unfinished turns for the next start")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Turn {TurnId} failed: {Error}")]
    private static partial void LogTurnFailed(ILogger logger, string turnId, SafeLogString error);
}
