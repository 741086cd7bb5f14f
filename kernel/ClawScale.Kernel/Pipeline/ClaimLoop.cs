using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline.Dispatch;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// The claim-and-run loop shared by DISPATCH (<see cref="TurnDispatcher"/>) and DELIVER (<see cref="DeliveryWorker"/>):
/// up to <see cref="WorkPool{THandOff}.Capacity"/> items run at once, each on its own task. Items come from two places:
/// <list type="bullet">
/// <item>hand-offs from the stage before (<see cref="WorkPool{THandOff}.HandOff"/>): rows it stored already claimed by
/// this instance, taken as soon as they arrive (the fast path: no claim query, no claim write);</item>
/// <item>claims from the database (<see cref="ClaimAsync"/>): work of a crashed instance whose lease expired, retries
/// that came due, work queued behind earlier work of the same conversation or route, and everything that was stored
/// while the stage was full. A claim runs when the stage is signalled (<see cref="IPipelineSignals"/>), every poll
/// interval, and, while the last claim said more is waiting, whenever enough slots are free for a batch.</item>
/// </list>
/// On shutdown the running items finish or are interrupted, and what was handed off but not started is given back
/// (<see cref="ReleaseUnstartedAsync"/>) so the next start runs it without waiting for its lease.
/// </summary>
/// <typeparam name="THandOff">What the stage before hands off per item.</typeparam>
/// <typeparam name="TItem">An item ready to run.</typeparam>
internal abstract partial class ClaimLoop<THandOff, TItem>(WorkPool<THandOff> pool, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly List<Task> _tasks = [];
    private int _claimDue;

    /// <summary>Most items one database claim takes.</summary>
    protected abstract int MaxClaim { get; }

    /// <summary>How often the database is polled when nothing signals.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>Claims up to <paramref name="limit"/> items from the database; <c>MoreWaiting</c>: claim again as slots free up.</summary>
    protected abstract Task<(IReadOnlyList<TItem> Items, bool MoreWaiting)> ClaimAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Loads what running the handed-off items needs; an item left out gives back its slot (its lease expires).</summary>
    protected abstract Task<IReadOnlyList<TItem>> PrepareAsync(IReadOnlyList<THandOff> handedOff, CancellationToken cancellationToken);

    /// <summary>Runs one item to its end (stores its outcome); exceptions are logged by the loop.</summary>
    protected abstract Task RunAsync(TItem item, CancellationToken stoppingToken);

    /// <summary>Subscribes to the stage's signal (<see cref="IPipelineSignals"/>): there is work in the database to claim.</summary>
    protected abstract IDisposable SubscribeToSignal(Action onSignal);

    /// <summary>After the loop stopped: gives back items handed off and never started.</summary>
    protected abstract Task ReleaseUnstartedAsync(IReadOnlyList<THandOff> items);

    /// <summary>After the running items ended: the stage's own clean-up.</summary>
    protected virtual Task OnStoppedAsync() => Task.CompletedTask;

    /// <summary>Called once before the first claim.</summary>
    protected virtual void OnStarting()
    {
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        OnStarting();
        pool.Start();
        try
        {
            await RunLoopAsync(stoppingToken);
        }
        finally
        {
            pool.Stop();
        }

        await Task.WhenAll(_tasks);
        var unstarted = new List<THandOff>();
        while (pool.TryTake(out var items)) unstarted.AddRange(items);
        pool.Return(unstarted.Count);
        if (unstarted.Count > 0) await ReleaseUnstartedAsync(unstarted);
        await OnStoppedAsync();
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        // A batch worth claiming while more is waiting: waiting for a few free slots makes one claim serve several.
        var batch = Math.Max(1, Math.Min(MaxClaim, pool.Capacity / 8));
        var moreWaiting = false;
        // Everything that should make the loop look again completes the pool's one wake-up task: hand-offs and freed
        // slots (WorkPool), the stage's signal and the poll timer (which also make a claim due), and the stop. The loop
        // waits on that task alone, so a wake-up costs no timer, no cancellation and no continuation on a long-lived task.
        _claimDue = 1;
        void ClaimDue()
        {
            Volatile.Write(ref _claimDue, 1);
            pool.WakeUp();
        }

        using var signal = SubscribeToSignal(ClaimDue);
        using var poll = time.CreateTimer(_ => ClaimDue(), null, PollInterval, PollInterval);
        using var stop = stoppingToken.Register(pool.WakeUp);
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = pool.NextWake;
            _tasks.RemoveAll(t => t.IsCompleted);
            while (pool.TryTake(out var handed)) await StartHandedOffAsync(handed, stoppingToken);

            var free = pool.Free;
            var due = Volatile.Read(ref _claimDue) == 1;
            if (free > 0 && (due || (moreWaiting && free >= batch)))
            {
                Volatile.Write(ref _claimDue, 0);
                var granted = pool.TryReserve(Math.Min(MaxClaim, free));
                if (granted > 0)
                {
                    IReadOnlyList<TItem> claimed;
                    try
                    {
                        (claimed, moreWaiting) = await ClaimAsync(granted, stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        pool.Return(granted, wake: false);
                        moreWaiting = false;
                        LogClaimFailed(logger, GetType().Name, ex);
                        // The next poll (or signal) tries again.
                        await pool.NextWake;
                        continue;
                    }

                    pool.Return(granted - claimed.Count, wake: false);
                    foreach (var item in claimed) Start(item, stoppingToken);
                    // Nothing claimed although more is waiting (queued behind running items): wait for one to end.
                    if (claimed.Count > 0) continue;
                }
            }

            await woken;
        }
    }

    private async Task StartHandedOffAsync(IReadOnlyList<THandOff> handed, CancellationToken stoppingToken)
    {
        IReadOnlyList<TItem> items;
        try
        {
            // Not cancelled by shutdown: claimed rows must come back here to be run or released.
            items = await PrepareAsync(handed, CancellationToken.None);
        }
        catch (Exception ex)
        {
            pool.Return(handed.Count, wake: false);
            LogHandOffFailed(logger, GetType().Name, handed.Count, ex);
            return;
        }

        pool.Return(handed.Count - items.Count, wake: false);
        foreach (var item in items) Start(item, stoppingToken);
    }

    private void Start(TItem item, CancellationToken stoppingToken) =>
        _tasks.Add(Task.Run(async () =>
        {
            try
            {
                await RunAsync(item, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(logger, GetType().Name, ex);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                pool.Return(1);
            }
        }, CancellationToken.None));

    [LoggerMessage(EventId = 2410, Level = LogLevel.Error, Message = "{Stage}: claiming from the database failed; retrying after the poll interval")]
    private static partial void LogClaimFailed(ILogger logger, string stage, Exception exception);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Error, Message = "{Stage}: loading {Count} handed-off items failed; they are claimed again when their lease expires")]
    private static partial void LogHandOffFailed(ILogger logger, string stage, int count, Exception exception);

    [LoggerMessage(EventId = 2412, Level = LogLevel.Error, Message = "{Stage}: an item failed unexpectedly; its lease expires and it is claimed again")]
    private static partial void LogRunFailed(ILogger logger, string stage, Exception exception);
}
