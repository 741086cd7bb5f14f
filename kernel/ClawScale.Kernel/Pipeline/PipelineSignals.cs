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

    /// <summary>
    /// Waits for <paramref name="signal"/> or <paramref name="timeout"/>, whichever comes first, without throwing on the
    /// timeout (an idle worker polls here every poll interval); throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    private async Task WaitAsync(SemaphoreSlim signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = signal.WaitAsync(cts.Token);
        var timer = Task.Delay(timeout, time, cts.Token);
        await Task.WhenAny(signalled, timer).ConfigureAwait(false);
        // Ends the loser. A signal taken in the same instant is not lost: the caller polls now anyway.
        await cts.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
