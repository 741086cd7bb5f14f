namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Stored channel ownership (values match <c>clawscale.v1.ChannelOwnership</c>).</summary>
internal enum ChannelOwnershipValue
{
    Shared = 1,
    Customer = 2,
}
