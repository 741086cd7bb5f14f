using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClawScale.Kernel.Channels;

/// <summary>
/// Readiness of the channel listeners, fed by <see cref="ChannelSupervisor"/>:
/// <list type="bullet">
/// <item><description>Unhealthy when the supervisor, which connects channels and starts and restarts their listeners,
/// has not finished a scan for <see cref="StuckAfter"/> (it scans every few seconds, failed scans included): its loop
/// is stuck, and no listener of this instance would be restarted.</description></item>
/// <item><description>Degraded when a listener keeps failing: it stopped with an error <see cref="FailingAfter"/> times in
/// a row, each time within <see cref="ShortRun"/> of starting (a revoked token, an unreachable platform). The channel's
/// status says why; the instance stays ready, since the other instances would fail that channel alike while the
/// other channels work.</description></item>
/// <item><description>Healthy otherwise, and before the supervisor starts.</description></item>
/// </list>
/// </summary>
internal sealed class ChannelListenerHealth(TimeProvider time) : IHealthCheck
{
    /// <summary>How long the supervisor may go without finishing a scan before the instance is unready.</summary>
    internal static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(2);

    /// <summary>Failures in a row that make a listener count as failing.</summary>
    internal const int FailingAfter = 3;

    /// <summary>A listener that ran at least this long before failing is not in a failure loop.</summary>
    internal static readonly TimeSpan ShortRun = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (string Kind, int Failures)> _listeners = new(StringComparer.Ordinal);
    private long _lastBeatTicks;
    private volatile bool _running;

    /// <summary>The supervisor started; the stuck timer starts now.</summary>
    public void SupervisorStarted()
    {
        Volatile.Write(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);
        _running = true;
    }

    /// <summary>The supervisor stopped (shutdown): nothing is stuck.</summary>
    public void SupervisorStopped() => _running = false;

    /// <summary>The supervisor finished a scan (successful or not).</summary>
    public void ScanFinished() => Volatile.Write(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);

    /// <summary>A listener of <paramref name="channelId"/> stopped after running for <paramref name="ran"/>, with an error or not.</summary>
    public void ListenerStopped(string channelId, string kind, bool failed, TimeSpan ran) =>
        _listeners.AddOrUpdate(channelId, _ => (kind, failed && ran < ShortRun ? 1 : 0), (_, old) => (kind, failed && ran < ShortRun ? old.Failures + 1 : 0));

    /// <summary>The listener of <paramref name="channelId"/> is no longer supervised here (adapter replaced, channel archived, shutdown).</summary>
    public void ListenerGone(string channelId) => _listeners.TryRemove(channelId, out _);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_running)
        {
            var silent = time.GetUtcNow() - new DateTimeOffset(Volatile.Read(ref _lastBeatTicks), TimeSpan.Zero);
            if (silent > StuckAfter)
                return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                    $"The channel supervisor has not finished a scan for {silent.TotalSeconds:0} s: listeners are neither started nor restarted."));
        }

        var failing = _listeners.Where(l => l.Value.Failures >= FailingAfter).OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"{l.Value.Kind} channel {l.Key} ({l.Value.Failures} failures in a row)").ToList();
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Listeners failing repeatedly: " + string.Join("; ", failing) + ". The channels' status says why."));
    }
}
