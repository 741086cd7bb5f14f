namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>DELIVER's <see cref="WorkPool{THandOff}"/>: DISPATCH hands off the first reply deliveries of idle routes.</summary>
internal sealed class DeliveryPool() : WorkPool<HandedDelivery>(DeliveryWorker.MaxInFlight)
{
    /// <summary>This instance's delivery worker identity in <c>claimed_by</c>: host, process and a random part.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}" is var id && id.Length > 64 ? id[..64] : id;
}
