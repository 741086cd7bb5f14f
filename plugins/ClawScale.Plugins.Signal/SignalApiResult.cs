namespace ClawScale.Plugins.Signal;

/// <summary>
/// The outcome of one REST call: the HTTP status (0 when no answer came), the parsed body on success, the REST API's
/// <c>error</c> text otherwise, and the <c>Retry-After</c> header (seconds or an HTTP date) when one was sent.
/// </summary>
/// <typeparam name="T">The success body's type.</typeparam>
public sealed record SignalApiResult<T>
{
    /// <summary>The HTTP status; 0 for a network failure or timeout.</summary>
    public int StatusCode { get; init; }

    /// <summary>Whether the status is 2xx.</summary>
    public bool Ok => StatusCode is >= 200 and < 300;

    /// <summary>The parsed body when <see cref="Ok"/>.</summary>
    public T? Value { get; init; }

    /// <summary>The answer's <c>error</c> field, or what went wrong in transport; never contains the token.</summary>
    public string? Error { get; init; }

    /// <summary>The <c>Retry-After</c> header, when the answer had one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
