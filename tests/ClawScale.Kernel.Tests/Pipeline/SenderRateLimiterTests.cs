using ClawScale.Kernel.Pipeline.Accept;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>The per-sender inbound limit on a manual clock: burst, steady refill, independence, logging, memory bound.</summary>
public sealed class SenderRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public void A_full_bucket_lets_a_burst_through_then_one_message_per_refill_interval()
    {
        var limiter = Create(perMinute: 6); // a burst of 6, then one every 10 s

        Assert.All(Enumerable.Range(0, 6), _ => Assert.True(limiter.TryAcquire("ch", "ada")));
        Assert.False(limiter.TryAcquire("ch", "ada"));

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(limiter.TryAcquire("ch", "ada"));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(limiter.TryAcquire("ch", "ada"));
        Assert.False(limiter.TryAcquire("ch", "ada"));

        // A quiet minute fills the bucket again, and no more than that.
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(6, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire("ch", "ada")));
    }

    [Fact]
    public void Senders_and_channels_have_their_own_buckets()
    {
        var limiter = Create(perMinute: 1);

        Assert.True(limiter.TryAcquire("ch", "ada"));
        Assert.False(limiter.TryAcquire("ch", "ada"));
        Assert.True(limiter.TryAcquire("ch", "bob"));
        Assert.True(limiter.TryAcquire("other", "ada"));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(1, 60)]
    [InlineData(2, 30)]
    [InlineData(7, 9)]
    [InlineData(60, 1)]
    [InlineData(1_000_000, 1)]
    public void RetryAfter_is_the_refill_interval_of_one_message_in_whole_seconds(int perMinute, int seconds)
    {
        var limiter = Create(perMinute);

        Assert.Equal(TimeSpan.FromSeconds(seconds), limiter.RetryAfter);
        Assert.Equal(Math.Max(0, perMinute), limiter.PerMinute);
    }

    [Fact]
    public void Zero_switches_the_limit_off()
    {
        var limiter = Create(perMinute: 0);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(limiter.TryAcquire("ch", "ada")));
        Assert.Equal(0, limiter.TrackedSenders);
    }

    [Fact]
    public void An_episode_over_the_limit_is_logged_once_and_summed_up_when_it_ends()
    {
        var limiter = Create(perMinute: 1);
        Assert.True(limiter.TryAcquire("ch", "ada"));

        for (var i = 0; i < 50; i++) Assert.False(limiter.TryAcquire("ch", "ada"));

        var warning = Assert.Single(_logs.Entries, e => e.EventId.Id == 2105);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("sender ada", warning.Message, StringComparison.Ordinal);
        Assert.Contains("ClawScale:Pipeline:SenderMessagesPerMinute", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == 2106);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryAcquire("ch", "ada"));
        var summary = Assert.Single(_logs.Entries, e => e.EventId.Id == 2106);
        Assert.Contains("50 messages were refused", summary.Message, StringComparison.Ordinal);

        // A new episode warns again.
        Assert.False(limiter.TryAcquire("ch", "ada"));
        Assert.Equal(2, _logs.Entries.Count(e => e.EventId.Id == 2105));
    }

    [Fact]
    public void Idle_senders_are_dropped_beyond_the_tracking_bound_and_a_limited_sender_stays_limited()
    {
        var limiter = Create(perMinute: 1);
        for (var i = 0; i < SenderRateLimiter.MaxTrackedSenders; i++) Assert.True(limiter.TryAcquire("ch", "s" + i));
        _time.Advance(TimeSpan.FromMinutes(1)); // every one of them is idle (its bucket full) again
        Assert.True(limiter.TryAcquire("ch", "flooder")); // one over the bound

        // The next call drops the idle senders; the flooder's empty bucket is kept, so it stays limited.
        Assert.False(limiter.TryAcquire("ch", "flooder"));
        Assert.Equal(1, limiter.TrackedSenders);
        Assert.True(limiter.TryAcquire("ch", "s0"));
        Assert.False(limiter.TryAcquire("ch", "flooder"));
    }

    private SenderRateLimiter Create(int perMinute)
    {
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs));
        return new SenderRateLimiter(Options.Create(new PipelineOptions { SenderMessagesPerMinute = perMinute }), _time, factory.CreateLogger<SenderRateLimiter>());
    }
}
