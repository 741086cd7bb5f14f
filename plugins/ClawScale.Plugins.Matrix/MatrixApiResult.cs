namespace ClawScale.Plugins.Matrix;

/// <summary>
/// The outcome of one client-server API call: the HTTP status (0 when no answer came), the parsed body on success, the
/// standard error (<c>errcode</c>, <c>error</c>) otherwise, and how long to wait (<c>retry_after_ms</c>, else the
/// <c>Retry-After</c> header).
/// </summary>
/// <typeparam name="T">The success body's type.</typeparam>
public sealed record MatrixApiResult<T>
{
    /// <summary>The HTTP status; 0 for a network failure or timeout.</summary>
    public int StatusCode { get; init; }

    /// <summary>Whether the status is 2xx.</summary>
    public bool Ok => StatusCode is >= 200 and < 300;

    /// <summary>The parsed body when <see cref="Ok"/>.</summary>
    public T? Value { get; init; }

    /// <summary>The <c>errcode</c>, for example <c>M_LIMIT_EXCEEDED</c>.</summary>
    public string? ErrCode { get; init; }

    /// <summary>The <c>error</c> text, or what went wrong in transport; never contains the token.</summary>
    public string? Error { get; init; }

    /// <summary>For rate limits: <c>retry_after_ms</c>, else the <c>Retry-After</c> header.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
