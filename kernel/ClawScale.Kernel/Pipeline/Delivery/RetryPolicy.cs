namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>
/// When a failed delivery is tried again: exponential backoff <c>RetryBaseDelay · 2^(attempt-1)</c> with ±20% jitter,
/// capped at <c>RetryMaxDelay</c>; a platform's explicit Retry-After is honoured exactly when it is longer
/// (never capped, never jittered below it).
/// </summary>
internal static class RetryPolicy
{
    /// <summary>The relative jitter applied to the backoff (±20%).</summary>
    public const double JitterFraction = 0.2;

    /// <summary>The delay before the next attempt.</summary>
    /// <param name="attempt">The 1-based attempt that just failed.</param>
    /// <param name="retryAfter">The platform's requested delay, or null.</param>
    /// <param name="options">Base and maximum delay.</param>
    /// <param name="jitter">A value in [0, 1) mapped to a factor in [0.8, 1.2).</param>
    public static TimeSpan Delay(int attempt, TimeSpan? retryAfter, PipelineOptions options, double jitter)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var baseTicks = options.RetryBaseDelay.Ticks * Math.Pow(2, exponent);
        var factor = 1 + JitterFraction * (2 * Math.Clamp(jitter, 0, 1) - 1);
        var ticks = Math.Min(baseTicks * factor, options.RetryMaxDelay.Ticks);
        var backoff = TimeSpan.FromTicks((long)Math.Max(0, ticks));
        return retryAfter is { } asked && asked > backoff ? asked : backoff;
    }
}
