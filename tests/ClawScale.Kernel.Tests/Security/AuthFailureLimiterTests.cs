using System.Net;
using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Security;
using ClawScale.Kernel.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClawScale.Kernel.Tests.Security;

/// <summary>
/// The failed-authentication limit per address on a manual clock: counting window, refusal for one window, one log line
/// per episode, independence of addresses, switching off, the memory bound and the address keys.
/// </summary>
public sealed class AuthFailureLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public void The_limit_th_failure_in_a_window_refuses_the_address_for_one_window_then_counting_starts_afresh()
    {
        var limiter = Create(limit: 3);
        for (var i = 0; i < 2; i++)
        {
            Assert.Null(limiter.RetryAfter("10.0.0.1"));
            limiter.RecordFailure("10.0.0.1");
        }

        Assert.Null(limiter.RetryAfter("10.0.0.1"));
        _time.Advance(TimeSpan.FromSeconds(20));
        limiter.RecordFailure("10.0.0.1");

        Assert.Equal(Window, limiter.RetryAfter("10.0.0.1"));
        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(TimeSpan.FromSeconds(15), limiter.RetryAfter("10.0.0.1"));
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Null(limiter.RetryAfter("10.0.0.1"));

        // A fresh count: two more failures do not refuse it yet.
        limiter.RecordFailure("10.0.0.1");
        limiter.RecordFailure("10.0.0.1");
        Assert.Null(limiter.RetryAfter("10.0.0.1"));
    }

    [Fact]
    public void Failures_spread_over_more_than_a_window_are_not_refused()
    {
        var limiter = Create(limit: 3);
        for (var i = 0; i < 10; i++)
        {
            limiter.RecordFailure("10.0.0.1");
            limiter.RecordFailure("10.0.0.1");
            Assert.Null(limiter.RetryAfter("10.0.0.1"));
            _time.Advance(Window);
        }
    }

    [Fact]
    public void An_episode_is_logged_once_when_it_starts_and_once_with_the_refused_count_when_it_ends()
    {
        var limiter = Create(limit: 2);
        limiter.RecordFailure("10.0.0.1");
        limiter.RecordFailure("10.0.0.1");
        for (var i = 0; i < 500; i++)
        {
            Assert.NotNull(limiter.RetryAfter("10.0.0.1"));
            // A call that raced past the check while the limit was reached is not a new episode.
            limiter.RecordFailure("10.0.0.1");
        }

        var started = Assert.Single(_logs.Entries, e => e.EventId.Id == 1205);
        Assert.Equal(LogLevel.Warning, started.Level);
        Assert.Contains("10.0.0.1", started.Message);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == 1206);

        _time.Advance(Window);
        Assert.Null(limiter.RetryAfter("10.0.0.1"));
        var ended = Assert.Single(_logs.Entries, e => e.EventId.Id == 1206);
        Assert.Equal(LogLevel.Information, ended.Level);
        Assert.Contains("500 calls were refused", ended.Message);
        Assert.Equal(2, _logs.Entries.Count);
    }

    [Fact]
    public void The_end_of_an_episode_of_an_address_that_went_quiet_is_logged_by_the_next_sweep()
    {
        var limiter = Create(limit: 1);
        limiter.RecordFailure("10.0.0.1");
        Assert.NotNull(limiter.RetryAfter("10.0.0.1"));

        _time.Advance(Window + TimeSpan.FromSeconds(10));
        limiter.RecordFailure("10.0.0.2");

        Assert.Contains(_logs.Entries, e => e.EventId.Id == 1206 && e.Message.Contains("10.0.0.1", StringComparison.Ordinal));
        Assert.Equal(1, limiter.TrackedPeers);
    }

    [Fact]
    public void Addresses_are_counted_apart()
    {
        var limiter = Create(limit: 2);
        limiter.RecordFailure("10.0.0.1");
        limiter.RecordFailure("10.0.0.1");

        Assert.NotNull(limiter.RetryAfter("10.0.0.1"));
        Assert.Null(limiter.RetryAfter("10.0.0.2"));
        limiter.RecordFailure("10.0.0.2");
        Assert.Null(limiter.RetryAfter("10.0.0.2"));
    }

    [Fact]
    public void A_limit_of_zero_switches_counting_off()
    {
        var limiter = Create(limit: 0);
        for (var i = 0; i < 100; i++) limiter.RecordFailure("10.0.0.1");

        Assert.False(limiter.IsEnabled);
        Assert.Null(limiter.RetryAfter("10.0.0.1"));
        Assert.Equal(0, limiter.TrackedPeers);
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public void Memory_is_bounded_by_the_tracked_address_cap_and_reclaimed_once_addresses_go_idle()
    {
        var limiter = Create(limit: 5);
        for (var i = 0; i < AuthFailureLimiter.MaxTrackedPeers + 500; i++) limiter.RecordFailure($"peer-{i}");

        Assert.Equal(AuthFailureLimiter.MaxTrackedPeers, limiter.TrackedPeers);
        Assert.Single(_logs.Entries, e => e.EventId.Id == 1207);

        _time.Advance(Window + TimeSpan.FromSeconds(10));
        limiter.RecordFailure("late");
        Assert.Equal(1, limiter.TrackedPeers);
    }

    [Fact]
    public void The_refusal_is_RESOURCE_EXHAUSTED_saying_when_to_retry_in_the_message_and_trailers()
    {
        var limiter = Create(limit: 10);

        var refusal = limiter.Refusal(TimeSpan.FromSeconds(41.2));

        Assert.Equal(StatusCode.ResourceExhausted, refusal.StatusCode);
        Assert.Contains("Retry after 42 s", refusal.Status.Detail);
        Assert.Equal("42", refusal.Trailers.GetValue("retry-after"));
        Assert.Equal("41200", refusal.Trailers.GetValue("grpc-retry-pushback-ms"));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void Addresses_are_keyed_by_IPv4_address_or_IPv6_slash_64(string address, string key) =>
        Assert.Equal(key, AuthFailureLimiter.PeerKey(IPAddress.Parse(address)));

    [Fact]
    public void A_connection_without_an_address_has_one_key() => Assert.Equal("unknown", AuthFailureLimiter.PeerKey(null));

    private AuthFailureLimiter Create(int limit) =>
        new(Options.Create(new ClawScaleOptions { Security = new SecurityOptions { AuthFailureLimit = limit, AuthFailureWindow = Window } }),
            _time, new LoggerFactory([_logs]).CreateLogger<AuthFailureLimiter>());
}
