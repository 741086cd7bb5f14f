using System.Collections.Concurrent;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// The bounded set of work items a pipeline stage (<see cref="ClaimLoop{THandOff,TItem}"/>) holds at once, and the
/// in-memory hand-off into it. A stage holds at most <see cref="Capacity"/> items, each occupying one slot from the moment
/// it is reserved until it is run (or given back). Slots are reserved by the stage's own database claims and by the
/// stage before it: a writer that creates work reserves slots with <see cref="TryReserve"/> before its transaction,
/// stores that many rows already claimed by this instance (no claim query and no claim write later), and after the
/// commit passes them with <see cref="HandOff"/>; the table stays the log, and a row handed off but never run (a crash)
/// is taken over by any instance when its lease expires. Nothing is reserved before the stage runs or after it stops.
/// </summary>
/// <typeparam name="THandOff">What the stage before passes per item (an id, or the row it wrote).</typeparam>
internal class WorkPool<THandOff>(int capacity)
{
    private readonly ConcurrentQueue<IReadOnlyList<THandOff>> _handOffs = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _used;
    private volatile bool _running;

    /// <summary>Slots of the stage (items reserved or running at most).</summary>
    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Slots neither reserved nor running.</summary>
    public int Free => Math.Max(0, Capacity - Volatile.Read(ref _used));

    /// <summary>Whether the stage is running (hand-offs are taken only then).</summary>
    public bool Running => _running;

    /// <summary>
    /// Reserves up to <paramref name="wanted"/> slots; returns how many were reserved (0 when the stage is not running
    /// or is full). Each must end with <see cref="HandOff"/> of one item or <see cref="Return"/>.
    /// </summary>
    public int TryReserve(int wanted)
    {
        if (!_running || wanted <= 0) return 0;
        while (true)
        {
            var used = Volatile.Read(ref _used);
            var granted = Math.Min(wanted, Capacity - used);
            if (granted <= 0) return 0;
            if (Interlocked.CompareExchange(ref _used, used + granted, used) == used) return granted;
        }
    }

    /// <summary>Gives back <paramref name="count"/> slots (reserved and unused, or an item finished) and, unless the stage itself
    /// gives them back (<paramref name="wake"/> false), wakes the stage.</summary>
    public void Return(int count, bool wake = true)
    {
        if (count <= 0) return;
        Interlocked.Add(ref _used, -count);
        if (wake) WakeUp();
    }

    /// <summary>
    /// Passes committed, already-claimed items to the stage, one reserved slot each. Items handed off after the stage
    /// stopped are not run here: their leases expire and they are claimed again (see the class remarks).
    /// </summary>
    public void HandOff(IReadOnlyList<THandOff> items)
    {
        if (items.Count == 0) return;
        _handOffs.Enqueue(items);
        WakeUp();
    }

    /// <summary>Takes the next batch handed off, if any.</summary>
    internal bool TryTake(out IReadOnlyList<THandOff> items) => _handOffs.TryDequeue(out items!);

    /// <summary>Completes at the next <see cref="WakeUp"/> (a hand-off, a slot given back, a signal, the poll timer, the stop);
    /// take it before looking for work, so a wake-up during the look is not missed.</summary>
    internal Task NextWake => Volatile.Read(ref _wake).Task;

    /// <summary>Wakes the stage's loop: completes <see cref="NextWake"/> and puts a new one in its place.</summary>
    internal void WakeUp() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    internal void Start() => _running = true;

    internal void Stop() => _running = false;

}
