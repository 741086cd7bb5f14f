namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>A delivery DISPATCH stored already claimed for this instance's DELIVER stage.</summary>
/// <param name="Row">The stored row (status sending, attempt 1, claimed by <see cref="DeliveryPool.WorkerId"/>).</param>
/// <param name="Route">Its route's address.</param>
/// <param name="AcceptedAt">When the inbound message it answers was accepted (its turn's creation, UTC).</param>
internal sealed record HandedDelivery(Persistence.Entities.OutboundDeliveryEntity Row, RouteAddress Route, DateTime? AcceptedAt);
