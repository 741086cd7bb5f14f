using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Routing;

/// <summary>
/// The adapter of a <see cref="Channels.ChannelHandle"/> built for RoutingService.RouteInbound when the channel's real
/// adapter cannot be created (its plugin is not loaded): ACCEPT needs only the channel's identity, never the adapter.
/// Every call on it fails; the DELIVER stage creates its own handle through the channel registry.
/// </summary>
internal sealed class DetachedChannelAdapter : IChannelAdapter
{
    /// <summary>The shared instance (stateless).</summary>
    public static readonly DetachedChannelAdapter Instance = new();

    public bool UsesListener => false;

    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(WebhookResult.Reject(503, "The channel's adapter is not available."));

    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask ConnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SendResult.Retry("The channel's adapter is not available."));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
