namespace ClawScale.Plugins.Discord;

/// <summary>
/// The outcome of one REST call: the HTTP status, the parsed body on success, Discord's error (<c>{code, message}</c>),
/// the rate-limit headers ("Rate Limits": <c>X-RateLimit-Remaining</c>, <c>X-RateLimit-Reset-After</c>,
/// <c>X-RateLimit-Bucket</c>) and, for 429, <c>retry_after</c>/<c>global</c>.
/// </summary>
/// <typeparam name="T">The success body's type.</typeparam>
public sealed record DiscordApiResult<T>
{
    /// <summary>The HTTP status; 0 for a network failure or timeout.</summary>
    public int StatusCode { get; init; }

    /// <summary>Whether the status is 2xx.</summary>
    public bool Ok => StatusCode is >= 200 and < 300;

    /// <summary>The parsed body when <see cref="Ok"/> (default when the answer had none, for example 204).</summary>
    public T? Value { get; init; }

    /// <summary>Discord's JSON error code (10003 Unknown Channel, 50013 Missing Permissions, …), if any.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Discord's error message or what went wrong in transport; never contains the token.</summary>
    public string? Description { get; init; }

    /// <summary>For 429: how long to wait (body <c>retry_after</c> seconds, else the <c>Retry-After</c> header).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For 429: whether the global limit was hit (body <c>global</c> or header <c>X-RateLimit-Global</c>).</summary>
    public bool IsGlobal { get; init; }

    /// <summary>Header <c>X-RateLimit-Remaining</c>: requests left in the route's bucket.</summary>
    public int? RateLimitRemaining { get; init; }

    /// <summary>Header <c>X-RateLimit-Reset-After</c>: when the bucket refills, from now.</summary>
    public TimeSpan? RateLimitResetAfter { get; init; }

    /// <summary>Header <c>X-RateLimit-Bucket</c>: the bucket's id.</summary>
    public string? RateLimitBucket { get; init; }

    /// <summary>True when no HTTP answer was received (network error, timeout).</summary>
    public bool IsTransportFailure { get; init; }
}
