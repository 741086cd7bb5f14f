using ClawScale.Kernel.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace ClawScale.Kernel.Tests.Channels;

public sealed class ChannelListenerHealthTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_supervisor_that_has_not_finished_a_scan_for_two_minutes_is_unhealthy_and_healthy_again_after_a_scan()
    {
        var health = new ChannelListenerHealth(_time);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(health)).Status); // not started yet
        health.SupervisorStarted();
        _time.Advance(ChannelListenerHealth.StuckAfter);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(health)).Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        var stuck = await CheckAsync(health);
        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.Contains("has not finished a scan for 121 s", stuck.Description, StringComparison.Ordinal);

        health.ScanFinished();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(health)).Status);
        _time.Advance(TimeSpan.FromHours(1));
        health.SupervisorStopped();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(health)).Status); // shutting down is not stuck
    }

    [Fact]
    public async Task A_listener_failing_three_times_in_a_row_soon_after_starting_is_degraded_until_it_runs_long_or_goes()
    {
        var health = new ChannelListenerHealth(_time);
        health.SupervisorStarted();
        health.ListenerStopped("ch-1", "telegram", failed: true, TimeSpan.FromSeconds(2));
        health.ListenerStopped("ch-1", "telegram", failed: true, TimeSpan.FromSeconds(2));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(health)).Status);

        health.ListenerStopped("ch-1", "telegram", failed: true, TimeSpan.FromSeconds(2));
        var failing = await CheckAsync(health);
        Assert.Equal(HealthStatus.Degraded, failing.Status);
        Assert.Contains("telegram channel ch-1 (3 failures in a row)", failing.Description, StringComparison.Ordinal);

        // A run of more than a minute before failing ends the streak; so does the channel leaving supervision.
        health.ListenerStopped("ch-1", "telegram", failed: true, ChannelListenerHealth.ShortRun);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(health)).Status);
        for (var i = 0; i < 3; i++) health.ListenerStopped("ch-2", "slack", failed: true, TimeSpan.Zero);
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(health)).Status);
        health.ListenerGone("ch-2");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(health)).Status);
    }

    private static Task<HealthCheckResult> CheckAsync(ChannelListenerHealth health) =>
        health.CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("channel-listeners", health, HealthStatus.Unhealthy, ["ready"]),
        });
}
