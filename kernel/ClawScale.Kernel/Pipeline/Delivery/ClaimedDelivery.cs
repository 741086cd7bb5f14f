using ClawScale.Kernel.Persistence.Entities;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>A delivery claimed by <see cref="DeliveryWorker"/>, with its route and its channel's config.</summary>
/// <param name="Row">The claimed row (attempts include this attempt).</param>
/// <param name="Route">Its delivery route's address, or null when the route vanished.</param>
/// <param name="ChannelConfig">The channel's config, or null when the channel does not exist.</param>
/// <param name="ChannelKind">The channel's kind (metric label), or empty when the channel does not exist.</param>
/// <param name="AcceptedAt">When the inbound message the delivery answers was accepted (its turn's creation, UTC), for
/// <c>clawscale.reply.latency</c>; null for deliveries without a turn, or when that metric is not listened to.</param>
internal sealed record ClaimedDelivery(
    OutboundDeliveryEntity Row,
    RouteAddress? Route,
    IReadOnlyDictionary<string, string>? ChannelConfig,
    string ChannelKind = "",
    DateTime? AcceptedAt = null);
