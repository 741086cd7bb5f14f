namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Stored channel status (values match <c>clawscale.v1.ChannelStatus</c>).</summary>
internal enum ChannelStatusValue
{
    Pending = 1,
    Connected = 2,
    Disconnected = 3,
    Error = 4,
    Archived = 5,
}
