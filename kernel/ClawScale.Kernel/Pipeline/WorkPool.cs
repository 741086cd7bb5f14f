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
        if (wake) Wake();
    }

    /// <summary>
    /// Passes committed, already-claimed items to the stage, one reserved slot each. Items handed off after the stage
    /// stopped are not run here: their leases expire and they are claimed again (see the class remarks).
    /// </summary>
    public void HandOff(IReadOnlyList<THandOff> items)
    {
        if (items.Count == 0) return;
        _handOffs.Enqueue(items);
        Wake();
    }

    /// <summary>Takes the next batch handed off, if any.</summary>
    internal bool TryTake(out IReadOnlyList<THandOff> items) => _handOffs.TryDequeue(out items!);

    /// <summary>Completes at the next <see cref="WakeUp"/> (a hand-off, a slot given back, a signal, the poll timer, the stop);
    /// take it before looking for work, so a wake-up during the look is not missed.</summary>
    internal Task NextWake => Volatile.Read(ref _wake).Task;

    /// <summary>Wakes the stage's loop.</summary>
    internal void WakeUp() => Wake();

    internal void Start() => _running = true;

    internal void Stop() => _running = false;

    private void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>DISPATCH's <see cref="WorkPool{THandOff}"/>: ACCEPT hands off the turns it stored already claimed, with their inputs.</summary>
internal sealed class TurnPool(Microsoft.Extensions.Options.IOptions<PipelineOptions> options) : WorkPool<TurnInput>(options.Value.MaxConcurrentTurns);

/// <summary>What ACCEPT needs to store turns already claimed for this instance's DISPATCH.</summary>
/// <param name="Pool">DISPATCH's slots.</param>
/// <param name="Instance">This instance (<c>claimed_by</c>).</param>
/// <param name="Lease">The lease of a claimed turn (<see cref="PipelineOptions.LeaseDuration"/>).</param>
/// <param name="ServedRuntimeAgents">The connected-runtime agents with a session here (only their turns are claimed here).</param>
/// <param name="Signals">Signals DISPATCH to claim turns that were stored pending.</param>
internal sealed record TurnHandOff(TurnPool Pool, string Instance, TimeSpan Lease, Func<IReadOnlySet<string>> ServedRuntimeAgents, IPipelineSignals Signals);

/// <summary>A delivery DISPATCH stored already claimed for this instance's DELIVER stage.</summary>
/// <param name="Row">The stored row (status sending, attempt 1, claimed by <see cref="DeliveryPool.WorkerId"/>).</param>
/// <param name="Route">Its route's address.</param>
/// <param name="AcceptedAt">When the inbound message it answers was accepted (its turn's creation, UTC).</param>
internal sealed record HandedDelivery(Persistence.Entities.OutboundDeliveryEntity Row, RouteAddress Route, DateTime? AcceptedAt);

/// <summary>DELIVER's <see cref="WorkPool{THandOff}"/>: DISPATCH hands off the first reply deliveries of idle routes.</summary>
internal sealed class DeliveryPool() : WorkPool<HandedDelivery>(DeliveryWorker.MaxInFlight)
{
    /// <summary>This instance's delivery worker identity in <c>claimed_by</c>: host, process and a random part.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}" is var id && id.Length > 64 ? id[..64] : id;
}
