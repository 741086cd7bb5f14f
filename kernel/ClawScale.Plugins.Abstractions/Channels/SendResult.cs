namespace ClawScale.Plugins.Channels;

/// <summary>How a send ended; drives the kernel's DELIVER stage (delivered, retry with backoff, or dead letter).</summary>
public sealed record SendResult
{
    /// <summary>The outcome.</summary>
    public required SendOutcome Outcome { get; init; }

    /// <summary>The platform's id of the sent message, when delivered.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>
    /// For <see cref="SendOutcome.Retry"/>: the delay the platform asked for (HTTP <c>Retry-After</c>, Telegram
    /// <c>parameters.retry_after</c>, Discord <c>retry_after</c>), or <see langword="null"/> to use the kernel's
    /// exponential backoff with jitter.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>What went wrong, for admins (never a secret).</summary>
    public string? Error { get; init; }

    /// <summary>The platform accepted the message.</summary>
    /// <param name="providerMessageId">The platform's id of the message, or <see langword="null"/>.</param>
    /// <returns>The result.</returns>
    public static SendResult Delivered(string? providerMessageId) => new() { Outcome = SendOutcome.Delivered, ProviderMessageId = providerMessageId };

    /// <summary>A transient failure (429, 5xx, network): try again later.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="retryAfter">The platform's requested delay, or <see langword="null"/>.</param>
    /// <returns>The result.</returns>
    public static SendResult Retry(string error, TimeSpan? retryAfter = null) => new() { Outcome = SendOutcome.Retry, Error = error, RetryAfter = retryAfter };

    /// <summary>A failure that retrying cannot fix (400 bad request, 403 bot blocked): dead-letter at once.</summary>
    /// <param name="error">What went wrong and what to do.</param>
    /// <returns>The result.</returns>
    public static SendResult Permanent(string error) => new() { Outcome = SendOutcome.PermanentFailure, Error = error };
}
