using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Channels;

/// <summary>
/// Everything a channel adapter instance gets from the kernel: the channel's identity, its configuration and
/// decrypted credentials, and host services. One context per configured channel.
/// </summary>
public sealed record ChannelContext
{
    /// <summary>The kernel's channel id; the webhook route is <c>POST /webhooks/{ChannelId}</c>.</summary>
    public required string ChannelId { get; init; }

    /// <summary>The tenant owning the channel.</summary>
    public required string TenantId { get; init; }

    /// <summary>Non-secret settings given at CreateChannel/UpdateChannel (case-sensitive keys).</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    /// <summary>Decrypted credentials (for example <c>bot_token</c>). Never log them.</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; init; } = new Dictionary<string, string>();

    /// <summary>The secret the platform must present on webhook calls (for example Telegram's <c>secret_token</c>).</summary>
    public required string WebhookSecret { get; init; }

    /// <summary>
    /// The absolute public URL of this channel's webhook route, when the kernel knows its public base URL
    /// (option <c>ClawScale:PublicBaseUrl</c>); otherwise <see langword="null"/> and webhook mode cannot be set up.
    /// </summary>
    public Uri? PublicWebhookUrl { get; init; }

    /// <summary>
    /// An HttpClient for the platform's API, owned by the kernel (do not dispose). Its timeout is infinite: pass tokens.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The kernel's client connects only to public IP addresses unless the operator sets
    /// <c>ClawScale:Security:AllowPrivateNetworkTargets</c>: a URL whose host is or resolves to a loopback, private,
    /// link-local (cloud metadata), carrier-grade NAT, multicast or reserved address fails with an
    /// <see cref="HttpRequestException"/> whose message names the host, the address and that setting. Report
    /// <c>ex.Message</c> (it holds no secret) so admins see it in the channel's status or the delivery's
    /// <c>last_error</c>. Redirects are not followed: a 3xx answer comes back to the plugin as it is.
    /// </para>
    /// <para>
    /// Open WebSockets through it as well, so the same check applies to them:
    /// <c>await new ClientWebSocket().ConnectAsync(uri, context.HttpClient, cancellationToken)</c>
    /// (<see cref="HttpMessageInvoker"/> overload of <c>ClientWebSocket.ConnectAsync</c>; leave the socket options'
    /// proxy, credentials and certificates unset, which that overload refuses).
    /// </para>
    /// </remarks>
    public required HttpClient HttpClient { get; init; }

    /// <summary>The logger for this channel.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The clock to use for every time-dependent decision (replay windows, heartbeats).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reports channel state changes (connected, error) to the kernel, where admins see them.</summary>
    public IChannelStatusSink? StatusSink { get; init; }

    /// <summary>
    /// Where the channel's listener keeps its position in the platform's stream across restarts (see
    /// <see cref="IListenerCheckpoint"/>); the kernel always sets it, tests may leave it <see langword="null"/>.
    /// </summary>
    public IListenerCheckpoint? ListenerCheckpoint { get; init; }
}
