using ClawScale.Plugins.Line.Model;

namespace ClawScale.Plugins.Line;

/// <summary>The outcome of one Messaging API call: the parsed answer, or a transport failure.</summary>
public sealed record LineApiResult
{
    /// <summary>The HTTP status code; 0 for a network failure or timeout.</summary>
    public int HttpStatus { get; init; }

    /// <summary>The HTTP reason phrase, printable characters only, or null.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>The parsed JSON answer (success or the documented error body), or null when it was not LINE JSON.</summary>
    public LineResponse? Response { get; init; }

    /// <summary>The <c>Retry-After</c> header as a delay, when sent.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// <c>x-line-accepted-request-id</c> of a 409 answer to a push with a retry key LINE already accepted: the request
    /// id of the first, successful request.
    /// </summary>
    public string? AcceptedRequestId { get; init; }

    /// <summary>A description of a transport failure (never a token), or null.</summary>
    public string? TransportError { get; init; }

    /// <summary>Whether the call succeeded (HTTP 200).</summary>
    public bool Ok => HttpStatus is >= 200 and < 300;
}
