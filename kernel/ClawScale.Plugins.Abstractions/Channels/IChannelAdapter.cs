using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Channels;

/// <summary>
/// One configured channel's connection to its platform. Created by <see cref="IChannelAdapterFactory.Create"/>
/// for each channel and disposed when the channel changes, is deleted, or its plugin is reloaded.
/// Every call runs with a timeout and cancellation; an exception fails only the message at hand and is reported.
/// </summary>
public interface IChannelAdapter : IAsyncDisposable
{
    /// <summary>
    /// Verifies (signature first, before parsing) and parses a webhook call. Must not send anything to the platform
    /// and must not block for long: platforms acknowledge within seconds (Slack: 3 s).
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Cancelled when the platform disconnects or the kernel stops.</param>
    /// <returns>The messages to accept and the answer to give.</returns>
    ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Whether this channel receives through <see cref="RunListenerAsync"/> (long polling or a WebSocket) rather
    /// than webhooks, given its configuration.
    /// </summary>
    bool UsesListener { get; }

    /// <summary>
    /// Receives messages until cancelled, handing each batch to <paramref name="sink"/> and acknowledging the
    /// platform only after the sink returns. Reconnects by itself on transient failures; returns only when
    /// cancelled or when the channel cannot work (report that through <see cref="ChannelContext.StatusSink"/>).
    /// The kernel runs at most one listener per channel across all kernel instances.
    /// </summary>
    /// <param name="sink">The kernel's ACCEPT stage.</param>
    /// <param name="cancellationToken">Cancelled on shutdown, channel change or plugin reload.</param>
    /// <returns>A task that ends when the listener stops.</returns>
    Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken);

    /// <summary>
    /// Prepares the platform side (for example Telegram <c>setWebhook</c> with <c>secret_token</c>, or
    /// <c>deleteWebhook</c> before long polling). Called when the channel is created, updated or the kernel starts.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when the platform is prepared.</returns>
    ValueTask ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Undoes <see cref="ConnectAsync"/> where the platform needs it (for example <c>deleteWebhook</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    ValueTask DisconnectAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one message to an exact route. Report rate limits and server errors as
    /// <see cref="SendResult.Retry"/> (with the platform's Retry-After), and errors retrying cannot fix as
    /// <see cref="SendResult.Permanent"/>. Throwing is treated as a transient failure.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send (the kernel then retries later).</param>
    /// <returns>The outcome.</returns>
    ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
