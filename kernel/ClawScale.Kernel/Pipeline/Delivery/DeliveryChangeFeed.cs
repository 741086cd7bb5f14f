namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>
/// In-process wake-up for watchers of delivery status (DeliveryService.WatchDeliveries): the DELIVER stage and
/// <see cref="DeliveryWriter"/> call <see cref="Notify"/> after a status change is committed; watchers then read the
/// changed rows from the database. Changes made by other kernel instances are found by the watchers' periodic poll.
/// </summary>
internal sealed class DeliveryChangeFeed
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>; take it before reading, so no change is missed.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    /// <summary>Wakes every watcher.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
