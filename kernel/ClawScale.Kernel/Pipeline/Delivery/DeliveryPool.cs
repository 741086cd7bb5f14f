namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>DELIVER's <see cref="WorkPool{THandOff}"/>: DISPATCH hands off the first reply deliveries of idle routes.</summary>
internal sealed class DeliveryPool() : WorkPool<HandedDelivery>(DeliveryWorker.MaxInFlight)
{
    /// <summary>This instance's delivery worker identity in <c>claimed_by</c>: host, process and a random part, at most 64 characters.</summary>
    public string WorkerId { get; } = NewWorkerId();

    private static string NewWorkerId()
    {
        var id = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return id.Length <= 64 ? id : id[..64];
    }
}
