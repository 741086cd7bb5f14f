using System.Collections.Concurrent;
using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline.Accept;

/// <summary>
/// Per-sender inbound limit that protects agents from floods: <see cref="PipelineOptions.SenderMessagesPerMinute"/>
/// messages per minute per (channel, sender), as a token bucket that holds that many messages (the burst) and refills
/// one message every <c>60 s / SenderMessagesPerMinute</c>. 0 (or less) switches the limit off. Per kernel instance.
/// </summary>
/// <remarks>
/// <para>
/// The bucket is kept as one timestamp per sender (the generic cell rate algorithm), computed when a message arrives:
/// no timers, so a flood of distinct senders costs one small entry each, and idle senders (whose bucket is full again)
/// are dropped once more than <see cref="MaxTrackedSenders"/> are tracked.
/// </para>
/// <para>
/// Refusals are logged once per episode (event 2105, Warning, when a sender first goes over the limit; event 2106,
/// Information, with the number refused when it is let through again), not per message, so a flood cannot become a
/// flood of log lines. What the platform is answered for a refused message is decided by the webhook route
/// (see <see cref="Channels.WebhookEndpoints"/>).
/// </para>
/// </remarks>
internal sealed partial class SenderRateLimiter
{
    /// <summary>Senders tracked before idle ones are dropped.</summary>
    public const int MaxTrackedSenders = 100_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string ChannelId, string Sender), Bucket> _buckets = new();
    private readonly TimeProvider _time;
    private readonly ILogger<SenderRateLimiter> _logger;
    private readonly long _interval;
    private readonly long _burstTolerance;
    private long _nextSweep;
    private int _tracked;

    public SenderRateLimiter(IOptions<PipelineOptions> options, TimeProvider time, ILogger<SenderRateLimiter> logger)
    {
        _time = time;
        _logger = logger;
        PerMinute = Math.Max(0, options.Value.SenderMessagesPerMinute);
        if (PerMinute > 0)
        {
            _interval = Math.Max(1, TimeSpan.TicksPerMinute / PerMinute);
            _burstTolerance = _interval * (PerMinute - 1L);
        }
    }

    /// <summary>The limit in messages per minute; 0 when switched off.</summary>
    public int PerMinute { get; }

    /// <summary>How many (channel, sender) buckets are held (for tests and diagnostics).</summary>
    public int TrackedSenders => _buckets.Count;

    /// <summary>
    /// How long a refused sender waits at most until its next message is let through: the refill interval of one
    /// message, rounded up to whole seconds (the unit of HTTP <c>Retry-After</c>). <see cref="TimeSpan.Zero"/> when off.
    /// </summary>
    public TimeSpan RetryAfter => PerMinute == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling((double)_interval / TimeSpan.TicksPerSecond));

    /// <summary>Takes one message from the bucket of <paramref name="sender"/> on <paramref name="channelId"/>.</summary>
    /// <param name="channelId">The channel the message came in on.</param>
    /// <param name="sender">The sender's platform id.</param>
    /// <returns>False when the sender is over the limit: the message must not be accepted.</returns>
    public bool TryAcquire(string channelId, string sender)
    {
        if (PerMinute == 0) return true;
        var now = _time.GetUtcNow().UtcTicks;
        if (Volatile.Read(ref _tracked) > MaxTrackedSenders) Sweep(now);
        var bucket = _buckets.GetOrAdd((channelId, sender), static (_, s) => s.Self.NewBucket(s.Now), (Self: this, Now: now));
        long refusedBefore;
        lock (bucket)
        {
            // The bucket is "full" when the theoretical arrival time is now or earlier; each message moves it one
            // interval into the future, and a message is let through while it is at most the burst tolerance ahead.
            var tat = Math.Max(bucket.TheoreticalArrival, now);
            if (tat - now > _burstTolerance)
            {
                if (bucket.Refused++ == 0) LogSenderOverLimit(_logger, channelId, sender, PerMinute);
                return false;
            }

            bucket.TheoreticalArrival = tat + _interval;
            refusedBefore = bucket.Refused;
            bucket.Refused = 0;
        }

        if (refusedBefore > 0) LogSenderBackUnderLimit(_logger, channelId, sender, refusedBefore);
        return true;
    }

    private Bucket NewBucket(long now)
    {
        // Counted here rather than with ConcurrentDictionary.Count, which takes every lock of the dictionary.
        // (The factory may run twice for one key in a race: the count is approximate and corrected by Sweep.)
        Interlocked.Increment(ref _tracked);
        return new Bucket(now);
    }

    /// <summary>Drops the senders whose bucket is full again (indistinguishable from a new one); at most every 10 s.</summary>
    private void Sweep(long now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + SweepInterval.Ticks, next) != next) return;
        foreach (var (key, bucket) in _buckets)
        {
            bool idle;
            lock (bucket) idle = bucket.TheoreticalArrival <= now;
            if (idle) _buckets.TryRemove(key, out _);
        }

        // Every tracked sender was active within the last minute: forget them all rather than grow without bound.
        if (_buckets.Count > 4 * MaxTrackedSenders) _buckets.Clear();
        Volatile.Write(ref _tracked, _buckets.Count);
    }

    private sealed class Bucket(long start)
    {
        public long TheoreticalArrival = start;
        public long Refused;
    }

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning,
        Message = "Channel {ChannelId}: sender {Sender} is over the inbound limit of {PerMinute} messages per minute (ClawScale:Pipeline:SenderMessagesPerMinute); its messages are refused until it slows down")]
    private static partial void LogSenderOverLimit(ILogger logger, string channelId, SafeLogString sender, int perMinute);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information,
        Message = "Channel {ChannelId}: sender {Sender} is under the inbound limit again; {Refused} messages were refused")]
    private static partial void LogSenderBackUnderLimit(ILogger logger, string channelId, SafeLogString sender, long refused);
}
