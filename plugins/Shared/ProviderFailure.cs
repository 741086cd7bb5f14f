namespace ClawScale.Plugins.Shared;

/// <summary>What kind of failure a provider call ended in; chooses the text the user is told.</summary>
internal enum ProviderFailure
{
    /// <summary>Bad or missing API key, no permission, unknown model (HTTP 401, 403, 404).</summary>
    Misconfigured,

    /// <summary>Too many requests (HTTP 429, <c>rate_limit_error</c>).</summary>
    RateLimited,

    /// <summary>Provider overloaded or failing (HTTP 5xx, 529 <c>overloaded_error</c>).</summary>
    Unavailable,

    /// <summary>The request was refused (HTTP 400, 413, 422, content filter).</summary>
    Rejected,

    /// <summary>No complete answer within <c>timeout_seconds</c>.</summary>
    Timeout,

    /// <summary>Connection refused, DNS failure, connection dropped.</summary>
    Unreachable,

    /// <summary>An answer that could not be parsed or held no text.</summary>
    BadResponse,
}
