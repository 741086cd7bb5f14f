using ClawScale.Plugins.Evolution.Model;

namespace ClawScale.Plugins.Evolution;

/// <summary>The outcome of one Evolution API call: the parsed answer, or a transport failure.</summary>
public sealed record EvolutionApiResult
{
    /// <summary>The HTTP status code; 0 for a network failure or timeout.</summary>
    public int HttpStatus { get; init; }

    /// <summary>The HTTP reason phrase, printable characters only, or null.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>The parsed JSON answer, or null when it was not Evolution JSON.</summary>
    public EvolutionResponse? Response { get; init; }

    /// <summary>The <c>Retry-After</c> header as a delay, when sent.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A description of a transport failure (never a key), or null.</summary>
    public string? TransportError { get; init; }

    /// <summary>Whether the call succeeded (2xx).</summary>
    public bool Ok => HttpStatus is >= 200 and < 300;
}
