namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// In-process wake-ups between pipeline stages, so workers do not wait for their polling interval when there is work
/// in the database they should claim. Missing a signal is harmless: workers also poll every
/// <see cref="PipelineOptions.PollInterval"/>, and other instances find the work that way (there is no cross-instance
/// notification).
/// </summary>
internal interface IPipelineSignals
{
    /// <summary>New turns were committed that DISPATCH must claim from the database.</summary>
    void TurnsAvailable();

    /// <summary>New or retryable deliveries were committed that DELIVER must claim from the database.</summary>
    void DeliveriesAvailable();

    /// <summary>Calls <paramref name="onSignal"/> (on the signalling thread; it must be quick) at every <see cref="TurnsAvailable"/> until disposed.</summary>
    IDisposable OnTurns(Action onSignal);

    /// <summary>Calls <paramref name="onSignal"/> (on the signalling thread; it must be quick) at every <see cref="DeliveriesAvailable"/> until disposed.</summary>
    IDisposable OnDeliveries(Action onSignal);
}
