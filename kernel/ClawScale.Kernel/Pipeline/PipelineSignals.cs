namespace ClawScale.Kernel.Pipeline;

/// <summary><see cref="IPipelineSignals"/> with two auto-reset signals.</summary>
internal sealed class PipelineSignals(TimeProvider time) : IPipelineSignals
{
    private readonly SemaphoreSlim _turns = new(0, 1);
    private readonly SemaphoreSlim _deliveries = new(0, 1);

    public void TurnsAvailable() => Release(_turns);

    public void DeliveriesAvailable() => Release(_deliveries);

    public Task WaitForTurnsAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(_turns, timeout, cancellationToken);

    public Task WaitForDeliveriesAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(_deliveries, timeout, cancellationToken);

    private static void Release(SemaphoreSlim signal)
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    private async Task WaitAsync(SemaphoreSlim signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await signal.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: poll anyway.
        }
    }
}
