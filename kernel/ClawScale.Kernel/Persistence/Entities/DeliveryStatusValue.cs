namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Stored delivery status (values match <c>clawscale.v1.DeliveryStatus</c>).</summary>
internal enum DeliveryStatusValue
{
    Pending = 1,
    Sending = 2,
    Delivered = 3,
    Failed = 4,
    Dead = 5,
}
