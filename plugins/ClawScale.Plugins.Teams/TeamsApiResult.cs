using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// The outcome of one Connector call: the HTTP status with the created activity's id or the Connector's documented
/// <c>error.code</c>/<c>error.message</c>, a transport failure (network, timeout), or a token failure.
/// </summary>
public sealed record TeamsApiResult
{
    /// <summary>The HTTP status code; 0 when no answer was received.</summary>
    public int HttpStatus { get; init; }

    /// <summary>The HTTP reason phrase, when answered.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>The created activity's id (ResourceResponse <c>id</c>) on success.</summary>
    public string? ActivityId { get; init; }

    /// <summary>The Connector's <c>error.code</c>, for example <c>ConversationNotFound</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The Connector's <c>error.message</c>.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The <c>Retry-After</c> header as a delay (429, 503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A network failure or timeout (no HTTP answer), described without secrets.</summary>
    public string? TransportError { get; init; }

    /// <summary>When no token could be had: the outcome to report.</summary>
    public SendResult? TokenFailure { get; init; }

    /// <summary>Whether a 401 made the client fetch a new token and call again (this is the second answer).</summary>
    public bool RetriedAfterUnauthorized { get; init; }

    /// <summary>Whether the Connector accepted the activity (2xx).</summary>
    public bool Ok => HttpStatus is >= 200 and < 300;
}
