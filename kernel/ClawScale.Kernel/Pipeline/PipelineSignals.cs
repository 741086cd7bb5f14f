using System.Collections.Immutable;

namespace ClawScale.Kernel.Pipeline;

/// <summary><see cref="IPipelineSignals"/> as two lists of callbacks (the stages' wake-ups), copied on write.</summary>
internal sealed class PipelineSignals : IPipelineSignals
{
    private ImmutableArray<Action> _turns = [];
    private ImmutableArray<Action> _deliveries = [];

    public void TurnsAvailable()
    {
        foreach (var callback in _turns) callback();
    }

    public void DeliveriesAvailable()
    {
        foreach (var callback in _deliveries) callback();
    }

    public IDisposable OnTurns(Action onSignal)
    {
        ImmutableInterlocked.Update(ref _turns, list => list.Add(onSignal));
        return new Subscription(() => ImmutableInterlocked.Update(ref _turns, list => list.Remove(onSignal)));
    }

    public IDisposable OnDeliveries(Action onSignal)
    {
        ImmutableInterlocked.Update(ref _deliveries, list => list.Add(onSignal));
        return new Subscription(() => ImmutableInterlocked.Update(ref _deliveries, list => list.Remove(onSignal)));
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
