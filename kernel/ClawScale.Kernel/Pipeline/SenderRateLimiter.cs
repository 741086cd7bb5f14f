using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Per-sender inbound limit (<see cref="PipelineOptions.SenderMessagesPerMinute"/>, a token bucket per channel and
/// sender) that protects agents from floods. Per kernel instance.
/// </summary>
internal sealed class SenderRateLimiter(IOptions<PipelineOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<(string, string), TokenBucketRateLimiter> _buckets = new();
    private readonly int _perMinute = options.Value.SenderMessagesPerMinute;

    public bool TryAcquire(string channelId, string sender)
    {
        if (_perMinute <= 0) return true;
        if (_buckets.Count > 100_000) _buckets.Clear();
        var bucket = _buckets.GetOrAdd((channelId, sender), _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _perMinute,
            TokensPerPeriod = _perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = bucket.AttemptAcquire();
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values) bucket.Dispose();
    }
}
