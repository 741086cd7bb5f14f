using ClawScale.Plugins.Slack.Model;

namespace ClawScale.Plugins.Slack;

/// <summary>
/// The outcome of one Web API call: Slack's <c>{ok, error}</c> envelope, or a transport failure (network error,
/// timeout, an answer that is not an envelope, such as a bare HTTP 429 or 5xx).
/// </summary>
public sealed record SlackApiResult
{
    /// <summary>Whether Slack answered <c>"ok": true</c>.</summary>
    public bool Ok => Response?.Ok == true;

    /// <summary>The parsed envelope, or null for a transport failure.</summary>
    public SlackApiResponse? Response { get; init; }

    /// <summary>The HTTP status code; 0 for a network failure or timeout.</summary>
    public int HttpStatus { get; init; }

    /// <summary>Slack's <c>error</c> code, or a description of the transport failure; never contains a token.</summary>
    public string? Error { get; init; }

    /// <summary>The <c>Retry-After</c> header (seconds in HTTP) as a delay, when Slack sent one (429 rate limits).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when no Slack envelope was received.</summary>
    public bool IsTransportFailure => Response is null;
}
