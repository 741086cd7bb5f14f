namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>What the platform API answered: the HTTP status (0 when there was no answer), the body and Retry-After.</summary>
public sealed record ContosoApiResult
{
    /// <summary>The HTTP status code, or 0 when the call failed before an answer (network error, timeout).</summary>
    public required int StatusCode { get; init; }

    /// <summary>The answer's body (at most 64 KiB), or empty.</summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>The raw <c>Retry-After</c> header, or null.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>For status 0: what went wrong (never a secret).</summary>
    public string? TransportError { get; init; }
}
