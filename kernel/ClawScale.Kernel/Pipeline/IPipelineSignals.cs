namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// In-process wake-ups between pipeline stages, so workers do not wait for their polling interval when there is
/// work (PostgreSQL deployments add LISTEN/NOTIFY across instances). Missing a signal is harmless: workers also poll.
/// </summary>
internal interface IPipelineSignals
{
    /// <summary>New turns were committed.</summary>
    void TurnsAvailable();

    /// <summary>New or retryable deliveries were committed.</summary>
    void DeliveriesAvailable();

    /// <summary>Waits until <see cref="TurnsAvailable"/> is signalled or <paramref name="timeout"/> passes.</summary>
    Task WaitForTurnsAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Waits until <see cref="DeliveriesAvailable"/> is signalled or <paramref name="timeout"/> passes.</summary>
    Task WaitForDeliveriesAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
