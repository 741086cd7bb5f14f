using System.Collections.Concurrent;
using ClawScale.Kernel.Channels;
using ClawScale.Plugins.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>
/// A channel registry the test fills: channels get real adapters made by the kernel's own factories (built-in ones
/// registered in DI as <see cref="IChannelAdapterFactory"/>), without channel rows or plugins.
/// </summary>
internal sealed class FakeChannelRegistry : IChannelRegistry
{
    private readonly ConcurrentDictionary<string, ChannelLookup> _channels = new();

    /// <summary>Creates an adapter with the kernel's factory for <paramref name="kind"/> and serves it for <paramref name="channelId"/>.</summary>
    public ChannelHandle Add(IServiceProvider services, string kind, string channelId, string tenantId, IReadOnlyDictionary<string, string>? config = null)
    {
        var factory = services.GetServices<IChannelAdapterFactory>().Single(f => f.Kind == kind);
        var adapter = factory.Create(new ChannelContext
        {
            ChannelId = channelId,
            TenantId = tenantId,
            Config = config ?? new Dictionary<string, string>(),
            WebhookSecret = "unused",
            HttpClient = new HttpClient(),
            Logger = NullLogger.Instance,
        });
        return Add(new ChannelHandle(channelId, tenantId, kind, adapter, "builtin"));
    }

    /// <summary>Serves <paramref name="handle"/> as it is (for example a handle of another kind).</summary>
    public ChannelHandle Add(ChannelHandle handle)
    {
        _channels[handle.ChannelId] = new ChannelLookup(handle, null);
        return handle;
    }

    /// <summary>Makes <paramref name="channelId"/> answer with a problem, as an archived channel does.</summary>
    public void AddProblem(string channelId, string problem) => _channels[channelId] = new ChannelLookup(null, problem);

    public ValueTask<ChannelLookup> GetAsync(string channelId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_channels.TryGetValue(channelId, out var lookup) ? lookup : new ChannelLookup(null, "channel not found"));

    public ValueTask InvalidateAsync(string channelId) => ValueTask.CompletedTask;
}
