namespace ClawScale.Plugins.Agents.Tests.Support;

/// <summary>
/// A clock that moves only when <see cref="Advance"/> is called; timers (Task.Delay, CancellationTokenSource
/// timeouts) fire on Advance. Records every delay asked for, so tests can wait until code is waiting.
/// (Microsoft.Extensions.TimeProvider.Testing cannot be restored here.)
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object gate = new();
    private readonly List<ManualTimer> timers = [];
    private readonly List<TimeSpan> scheduled = [];
    private DateTimeOffset now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Every finite due time passed to a timer so far, in order.</summary>
    public IReadOnlyList<TimeSpan> ScheduledDelays
    {
        get
        {
            lock (gate)
            {
                return [.. scheduled];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (gate)
        {
            timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (gate)
        {
            target = now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.Due is { } due && due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    now = target;
                    return;
                }

                now = next.Due!.Value;
                next.Due = next.Period > TimeSpan.Zero && next.Period != Timeout.InfiniteTimeSpan ? now + next.Period : null;
            }

            next.Fire();
        }
    }

    /// <summary>Waits (bounded, in real time) until some timer has been asked to wait exactly <paramref name="delay"/>.</summary>
    public async Task WaitForScheduledDelayAsync(TimeSpan delay, TimeSpan? bound = null)
    {
        using var cts = new CancellationTokenSource(bound ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (scheduled.Contains(delay))
                {
                    return;
                }

                signal = changed.Task;
            }

            try
            {
                await signal.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No timer of {delay} was scheduled; scheduled: {string.Join(", ", ScheduledDelays)}");
            }
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        TaskCompletionSource toSignal;
        lock (gate)
        {
            timer.Period = period;
            timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                scheduled.Add(dueTime);
            }

            toSignal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        toSignal.TrySetResult();
        if (dueTime == TimeSpan.Zero)
        {
            Advance(TimeSpan.Zero);
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
