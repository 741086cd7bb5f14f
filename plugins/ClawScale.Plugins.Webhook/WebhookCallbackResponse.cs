namespace ClawScale.Plugins.Webhook;

/// <summary>What came back from one callback POST: an HTTP answer, or a transport failure (status 0).</summary>
public sealed record WebhookCallbackResponse
{
    /// <summary>The HTTP status code, or 0 when no answer arrived (network failure or timeout).</summary>
    public int StatusCode { get; init; }

    /// <summary>The answer's reason phrase (<c>Bad Request</c>), or null.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>
    /// The answer's body as text (UTF-8), or empty. Read for the <c>message_id</c> of a 2xx answer only: an error body is
    /// never copied into a send result (it would be shown in <c>Delivery.last_error</c>).
    /// </summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>The raw <c>Retry-After</c> header (delta-seconds or an HTTP date), or null.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>For status 0: what failed (for example "no answer within 10 s"), or null.</summary>
    public string? TransportError { get; init; }
}
