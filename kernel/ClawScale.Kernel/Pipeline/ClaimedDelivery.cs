using ClawScale.Kernel.Persistence.Entities;

namespace ClawScale.Kernel.Pipeline;

/// <summary>A delivery claimed by <see cref="DeliveryWorker"/>, with its route and its channel's config.</summary>
/// <param name="Row">The claimed row (attempts include this attempt).</param>
/// <param name="Route">Its delivery route, or null when it vanished.</param>
/// <param name="ChannelConfig">The channel's config, or null when the channel does not exist.</param>
internal sealed record ClaimedDelivery(OutboundDeliveryEntity Row, DeliveryRouteEntity? Route, IReadOnlyDictionary<string, string>? ChannelConfig);
