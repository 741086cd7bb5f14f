namespace ClawScale.Plugins.Channels;

/// <summary>
/// A platform's HTTP call to <c>POST /webhooks/{channelId}</c>, as given to <see cref="IChannelAdapter.HandleWebhookAsync"/>.
/// The body is the raw bytes, so adapters verify signatures over exactly what the platform signed.
/// </summary>
public sealed record WebhookRequest
{
    /// <summary>The HTTP method, upper case.</summary>
    public required string Method { get; init; }

    /// <summary>Request headers; look-ups are case-insensitive. Multiple values are joined with a comma.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The query string including the leading <c>?</c>, or empty.</summary>
    public string QueryString { get; init; } = string.Empty;

    /// <summary>The raw request body (at most the kernel's webhook body limit, 1 MiB by default).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>When the kernel received the request (UTC), for replay windows.</summary>
    public DateTimeOffset ReceivedAt { get; init; }
}
