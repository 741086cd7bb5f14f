using ClawScale.Kernel.Persistence.Entities;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>The result of <see cref="DeliveryWriter"/>.<c>EnqueueAsync</c>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Delivery">The created or existing delivery (for a conflict: the existing one); null when the route was not found.</param>
internal sealed record DeliveryEnqueueResult(DeliveryEnqueueStatus Status, OutboundDeliveryEntity? Delivery);
