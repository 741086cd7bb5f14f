using Microsoft.Extensions.Time.Testing;

namespace ClawScale.Testing;

/// <summary>
/// <see cref="FakeTimeProvider"/> (Microsoft.Extensions.TimeProvider.Testing) that also says which of its timers are
/// pending, so a test can wait until the code under test waits on the clock (a heartbeat, a backoff, a retry delay)
/// before it advances the clock. The clock, the timers and <see cref="FakeTimeProvider.Advance"/> are
/// FakeTimeProvider's own; <see cref="CreateTimer"/> only wraps each timer to note when it falls due.
/// Starts at <see cref="DefaultStart"/> (FakeTimeProvider's own default is 2000-01-01), the instant the tests' payloads
/// and signatures were written for.
/// </summary>
public sealed class TrackingFakeTimeProvider : FakeTimeProvider
{
    /// <summary>2025-01-01 12:00:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly HashSet<TrackedTimer> _timers = [];

    /// <summary>A clock at <see cref="DefaultStart"/>.</summary>
    public TrackingFakeTimeProvider()
        : this(DefaultStart)
    {
    }

    /// <summary>A clock at <paramref name="start"/>.</summary>
    public TrackingFakeTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>How long until each pending timer fires (one entry per timer), from the current fake time.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get
        {
            var now = GetUtcNow();
            lock (_gate)
                return _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value - now).ToArray();
        }
    }

    /// <summary>Waits (bounded, in real time) until some timer is pending with exactly <paramref name="delay"/> left.</summary>
    /// <exception cref="TimeoutException">No such timer within <paramref name="bound"/> (default 10 s).</exception>
    public async Task WaitForPendingDelayAsync(TimeSpan delay, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(10));
        while (!PendingDelays.Contains(delay))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No timer of {delay} is pending; pending: {string.Join(", ", PendingDelays)}");
            await Task.Delay(5);
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this, callback, state);
        tracked.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), tracked, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    private sealed class TrackedTimer(TrackingFakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? Due { get; private set; }

        private TimeSpan _period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Noted before the inner timer is armed: a zero due time fires inside Inner.Change.
            lock (owner._gate)
            {
                _period = period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
                owner._timers.Add(this);
            }

            return Inner.Change(dueTime, period);
        }

        public void Fire()
        {
            lock (owner._gate)
                Due = Due is { } due && _period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan ? due + _period : null;
            callback(state);
        }

        public void Dispose()
        {
            lock (owner._gate)
                owner._timers.Remove(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
