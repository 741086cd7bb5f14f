using System.Collections.Concurrent;
using ClawScale.Kernel.Channels;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>A channel registry serving <see cref="Adapter"/> for registered channels; others are unavailable.</summary>
internal sealed class FakeChannelRegistry : IChannelRegistry
{
    private readonly ConcurrentDictionary<string, string> _channels = new();

    public FakeChannelAdapter Adapter { get; } = new();

    public void Register(string channelId, string tenantId) => _channels[channelId] = tenantId;

    public ValueTask<ChannelLookup> GetAsync(string channelId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_channels.TryGetValue(channelId, out var tenantId)
            ? new ChannelLookup(new ChannelHandle(channelId, tenantId, "fake", Adapter, "fake"), null)
            : new ChannelLookup(null, $"Channel '{channelId}' is not available (fake registry)."));

    public ValueTask InvalidateAsync(string channelId) => ValueTask.CompletedTask;
}
