namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// <see cref="IPipelineSignals"/> with two one-shot signals, each replaced when it fires: waiting costs no timer and
/// no cancellation (a worker waits on the signal, its own wake-up and its poll timer at once).
/// </summary>
internal sealed class PipelineSignals : IPipelineSignals
{
    private TaskCompletionSource _turns = NewSignal();
    private TaskCompletionSource _deliveries = NewSignal();

    public Task NextTurnsSignal => Volatile.Read(ref _turns).Task;

    public Task NextDeliveriesSignal => Volatile.Read(ref _deliveries).Task;

    public void TurnsAvailable() => Interlocked.Exchange(ref _turns, NewSignal()).TrySetResult();

    public void DeliveriesAvailable() => Interlocked.Exchange(ref _deliveries, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
