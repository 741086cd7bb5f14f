using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>Backoff values of <see cref="RetryPolicy"/>.</summary>
public sealed class RetryPolicyTests
{
    private static readonly PipelineOptions Options = new() { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(60) };

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(4, 8000)]
    [InlineData(6, 32000)]
    [InlineData(7, 60000)] // 64 s capped at 60 s
    [InlineData(40, 60000)]
    public void Backoff_doubles_per_attempt_and_is_capped(int attempt, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryPolicy.Delay(attempt, null, Options, 0.5));

    [Theory]
    [InlineData(0.0, 3200)]
    [InlineData(0.25, 3600)]
    [InlineData(0.75, 4400)]
    [InlineData(1.0, 4800)]
    public void Jitter_is_plus_minus_twenty_percent(double jitter, int expectedMs) =>
        Assert.Equal(expectedMs, RetryPolicy.Delay(3, null, Options, jitter).TotalMilliseconds, 3);

    [Fact]
    public void Retry_after_is_honoured_exactly_when_longer_and_not_capped()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), RetryPolicy.Delay(1, TimeSpan.FromSeconds(90), Options, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.Delay(1, TimeSpan.FromSeconds(5), Options, 1.0));
        // A shorter Retry-After than the backoff keeps the backoff.
        Assert.Equal(TimeSpan.FromSeconds(8), RetryPolicy.Delay(4, TimeSpan.FromSeconds(1), Options, 0.5));
    }
}
