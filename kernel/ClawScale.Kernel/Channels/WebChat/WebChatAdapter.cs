using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>
/// The adapter of one <c>webchat</c> channel. Visitors post messages to <c>POST /chat/{channelId}/messages</c>
/// (not to the webhook route), and replies are pushed to the visitor's open event streams through
/// <see cref="WebChatHub"/>. A visitor with no open page still counts as delivered: the page loads the conversation's
/// history when it (re)connects.
/// </summary>
internal sealed class WebChatAdapter(string channelId, WebChatSettings settings, WebChatHub hub, ILogger logger) : IChannelAdapter
{
    /// <summary>The channel's page settings.</summary>
    public WebChatSettings Settings => settings;

    /// <inheritdoc />
    public bool UsesListener => false;

    /// <summary>Always refuses with 404: web chat messages arrive at <c>/chat/{channelId}/messages</c>.</summary>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(WebhookResult.Reject(404, "web chat channels receive messages at /chat/{id}/messages"));

    /// <inheritdoc />
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing to prepare: the page is served by the kernel itself.</summary>
    public ValueTask ConnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Nothing to undo.</summary>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Pushes the message to the visitor's (<see cref="OutboundMessage.ExternalChatId"/>) open pages. Always
    /// <see cref="SendOutcome.Delivered"/>, with the delivery id as the message id so that a retried delivery is
    /// recognised by the page and shown once.
    /// </summary>
    public ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = message.DeliveryId;
        var reached = hub.Publish(channelId, message.ExternalChatId, id, message.Text ?? string.Empty);
        WebChatLog.Pushed(logger, channelId, reached);
        return ValueTask.FromResult(SendResult.Delivered(id));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
