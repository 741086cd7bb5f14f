using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>
/// Per-channel send limits: at most N concurrent sends and R sends per second per channel
/// (<see cref="PipelineOptions.SendConcurrencyPerChannel"/>, <see cref="PipelineOptions.SendRatePerChannel"/>, overridden
/// by the channel config keys <c>max_concurrent_sends</c> and <c>rate_limit_per_second</c>). A send over a limit waits
/// for a permit; it is never failed. A rate of 0 or less means unlimited.
/// </summary>
internal sealed class ChannelSendLimiter(IOptions<PipelineOptions> options) : IDisposable
{
    /// <summary>Channel config key overriding <see cref="PipelineOptions.SendConcurrencyPerChannel"/>.</summary>
    public const string MaxConcurrentSendsKey = "max_concurrent_sends";

    /// <summary>Channel config key overriding <see cref="PipelineOptions.SendRatePerChannel"/>.</summary>
    public const string RateLimitPerSecondKey = "rate_limit_per_second";

    private static readonly TimeSpan MinReplenishmentPeriod = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, Limits> _channels = new(StringComparer.Ordinal);

    /// <summary>Waits for a concurrency slot and a rate token of <paramref name="channelId"/>; dispose the result after the send.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="config">The channel's config (string values), or null when unknown.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask<IDisposable> AcquireAsync(string channelId, IReadOnlyDictionary<string, string>? config, CancellationToken cancellationToken)
    {
        var (concurrency, rate) = Settings(config);
        var limits = _channels.AddOrUpdate(
            channelId,
            _ => new Limits(concurrency, rate),
            (_, existing) => existing.Concurrency == concurrency && existing.Rate.Equals(rate) ? existing : new Limits(concurrency, rate));
        var slot = await limits.ConcurrencyLimiter.AcquireAsync(1, cancellationToken);
        try
        {
            if (limits.RateLimiter is { } limiter)
            {
                using var token = await limiter.AcquireAsync(1, cancellationToken);
            }

            return slot;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var limits in _channels.Values) limits.Dispose();
        _channels.Clear();
    }

    private (int Concurrency, double Rate) Settings(IReadOnlyDictionary<string, string>? config)
    {
        var concurrency = options.Value.SendConcurrencyPerChannel;
        var rate = options.Value.SendRatePerChannel;
        if (config is not null)
        {
            if (config.TryGetValue(MaxConcurrentSendsKey, out var c) && int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ci) && ci > 0)
                concurrency = ci;
            if (config.TryGetValue(RateLimitPerSecondKey, out var r) && double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rd) && double.IsFinite(rd))
                rate = rd;
        }

        return (Math.Max(1, concurrency), rate);
    }

    private sealed class Limits : IDisposable
    {
        public Limits(int concurrency, double rate)
        {
            Concurrency = concurrency;
            Rate = rate;
            ConcurrencyLimiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = concurrency,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            if (rate > 0)
            {
                // One token every 1/rate seconds, replenished in periods of at least 50 ms; bursts up to one second's worth.
                var period = TimeSpan.FromSeconds(1 / rate);
                if (period < MinReplenishmentPeriod) period = MinReplenishmentPeriod;
                var perPeriod = Math.Max(1, (int)Math.Round(rate * period.TotalSeconds));
                RateLimiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(perPeriod, (int)Math.Ceiling(rate)),
                    TokensPerPeriod = perPeriod,
                    ReplenishmentPeriod = period,
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                });
            }
        }

        public int Concurrency { get; }

        public double Rate { get; }

        public ConcurrencyLimiter ConcurrencyLimiter { get; }

        public TokenBucketRateLimiter? RateLimiter { get; }

        public void Dispose()
        {
            ConcurrencyLimiter.Dispose();
            RateLimiter?.Dispose();
        }
    }
}
