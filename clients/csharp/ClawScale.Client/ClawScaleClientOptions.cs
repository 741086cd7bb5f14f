namespace ClawScale.Client;

/// <summary>
/// Settings of a <see cref="ClawScaleClient"/>. Immutable; validated by <see cref="Validate"/> when the client is created.
/// </summary>
public sealed record ClawScaleClientOptions
{
    /// <summary>The kernel's default gRPC address, plaintext HTTP/2 (h2c) on loopback: <c>http://127.0.0.1:4041</c>.</summary>
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:4041");

    /// <summary>
    /// The kernel's gRPC address. <c>http://</c> speaks plaintext HTTP/2 with prior knowledge (h2c); <c>https://</c>
    /// speaks HTTP/2 over TLS (ALPN). Default <see cref="DefaultAddress"/>.
    /// </summary>
    public Uri Address { get; init; } = DefaultAddress;

    /// <summary>
    /// The API key secret (<c>csk_…</c>) sent as <c>authorization: Bearer &lt;key&gt;</c> metadata on every call.
    /// Null sends no authorization header (the kernel then answers <c>UNAUTHENTICATED</c>).
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Deadline given to unary and client-streaming calls that carry none of their own. Default 30 seconds;
    /// null means no deadline. Long-lived server-streaming and bidi calls (<c>WatchDeliveries</c>,
    /// <c>RuntimeService.Connect</c>) never get it. An expired deadline fails with <c>DEADLINE_EXCEEDED</c>.
    /// </summary>
    public TimeSpan? DefaultDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Attempts for a call that fails with <c>UNAVAILABLE</c> (the first attempt included), through the channel's gRPC
    /// retry policy (gRFC A6: a call is retried only until the server has committed a response, so streams are not
    /// replayed once they carry messages). Default 4; 1 turns retries off; at most 5 (grpc-dotnet's ceiling). Retries
    /// stop when the call's deadline passes or its token is cancelled. Applies to clients created from options only.
    /// </summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>
    /// Backoff before the first retry; doubles at each retry. The delay is drawn uniformly between 0 and the current
    /// backoff (gRFC A6 jitter). Default 200 ms; must be positive when retries are on.
    /// </summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of the backoff between two attempts. Default 5 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The HTTP handler under the gRPC channel (for example a handler with client certificates or a proxy, or a
    /// counting handler in tests). Null: a <see cref="SocketsHttpHandler"/> with HTTP/2 keep-alive pings.
    /// The client disposes it.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Clock used for default deadlines and the runtime worker's heartbeats and reconnect delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks every setting and reports every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more settings are invalid; the message lists each of them.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Address is null || !Address.IsAbsoluteUri || (Address.Scheme != Uri.UriSchemeHttp && Address.Scheme != Uri.UriSchemeHttps))
            errors.Add($"Address: '{Address}' must be an absolute http:// (h2c) or https:// (TLS) URI, for example {DefaultAddress}.");
        if (ApiKey is not null && (ApiKey.Length == 0 || ApiKey.Any(char.IsWhiteSpace)))
            errors.Add("ApiKey: must be a non-empty key without whitespace (the csk_… secret CreateApiKey returned), or null.");
        if (DefaultDeadline is { } deadline && deadline <= TimeSpan.Zero)
            errors.Add($"DefaultDeadline: {deadline} must be positive, or null for no deadline.");
        if (MaxAttempts is < 1 or > 5)
            errors.Add($"MaxAttempts: {MaxAttempts} must be between 1 (retries off) and 5 (grpc-dotnet's ceiling for a retry policy).");
        if (InitialBackoff <= TimeSpan.Zero)
            errors.Add($"InitialBackoff: {InitialBackoff} must be positive.");
        if (MaxBackoff < InitialBackoff)
            errors.Add($"MaxBackoff: {MaxBackoff} must be at least InitialBackoff ({InitialBackoff}).");
        if (TimeProvider is null)
            errors.Add("TimeProvider: must not be null.");
        if (errors.Count > 0)
            throw new ArgumentException("Invalid ClawScaleClientOptions:\n  " + string.Join("\n  ", errors));
    }
}
