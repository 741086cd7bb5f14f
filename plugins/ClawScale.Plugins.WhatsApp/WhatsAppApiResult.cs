using ClawScale.Plugins.WhatsApp.Model;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>
/// The outcome of one Graph API call: the parsed answer, or a transport failure (network error, timeout, an answer
/// that is not Graph JSON, such as a bare 502 page).
/// </summary>
public sealed record WhatsAppApiResult
{
    /// <summary>The HTTP status code; 0 for a network failure or timeout.</summary>
    public int HttpStatus { get; init; }

    /// <summary>The HTTP reason phrase, printable characters only, or null.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>The parsed JSON answer, or null when the body was not Graph JSON.</summary>
    public GraphResponse? Response { get; init; }

    /// <summary>The <c>Retry-After</c> header as a delay, when sent.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A description of a transport failure (never a token), or null.</summary>
    public string? TransportError { get; init; }

    /// <summary>Whether the call succeeded (2xx without an <c>error</c> object).</summary>
    public bool Ok => HttpStatus is >= 200 and < 300 && Response is not null && Response.Error is null;
}
