namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>What <see cref="DeliveryWriter"/>.<c>EnqueueAsync</c> did.</summary>
internal enum DeliveryEnqueueStatus
{
    /// <summary>A new delivery was stored.</summary>
    Created = 1,

    /// <summary>The idempotency key was used before with the same payload: the first delivery is returned.</summary>
    Existing = 2,

    /// <summary>The idempotency key was used before with a different payload (ALREADY_EXISTS / FAILED_PRECONDITION to callers).</summary>
    Conflict = 3,

    /// <summary>The delivery route does not exist in the tenant.</summary>
    RouteNotFound = 4,
}
