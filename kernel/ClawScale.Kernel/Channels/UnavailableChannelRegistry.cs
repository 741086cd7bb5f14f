namespace ClawScale.Kernel.Channels;

/// <summary>
/// The fallback <see cref="IChannelRegistry"/> when none is registered: every channel is unavailable, so deliveries
/// are retried (and dead-lettered after the configured attempts) with that reason. The real registry replaces it.
/// </summary>
internal sealed class UnavailableChannelRegistry : IChannelRegistry
{
    public ValueTask<ChannelLookup> GetAsync(string channelId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ChannelLookup(null, $"Channel '{channelId}' has no adapter: no channel registry is configured in this kernel."));

    public ValueTask InvalidateAsync(string channelId) => ValueTask.CompletedTask;
}
