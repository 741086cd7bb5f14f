using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ClawScale.Kernel.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Limits failed API-key checks per client address, so that guessing keys cannot cost one database query per call
/// without bound: after <see cref="SecurityOptions.AuthFailureLimit"/> failures within
/// <see cref="SecurityOptions.AuthFailureWindow"/>, the address is refused for one window (RESOURCE_EXHAUSTED, see
/// <see cref="Refusal"/>) before any database query. 0 switches the limit off. Per kernel instance.
/// </summary>
/// <remarks>
/// <para>
/// Counting: a window opens at an address's first failure; each failure within it counts; the failure that reaches
/// the limit starts an episode during which the address is refused for one window; after it (or after a window
/// without reaching the limit) counting starts afresh. What counts (<see cref="ApiKeyAuthInterceptor"/>): a key that is
/// unknown, revoked or malformed. Calls without any key cost nothing and are answered UNAUTHENTICATED with how to get a
/// key, also from a limited address; a key this instance has already verified (cached) is accepted even from a limited
/// address. IPv4 addresses count one by one, IPv6 addresses per /64 (one host usually holds a whole /64).
/// </para>
/// <para>
/// State is a few fields per address, updated when a call arrives: no timers. At most <see cref="MaxTrackedPeers"/>
/// addresses are tracked; idle ones are swept at most every 10 s; when that many addresses are failing at once,
/// failures of further addresses go uncounted (they are checked against the database, as without the limit) and a
/// warning says so once (event 1207).
/// </para>
/// <para>
/// Logging, once per episode and never per call: event 1205 (Warning) when an address starts being refused, event
/// 1206 (Information) with the number of calls refused when the kernel next notices the episode is over (the
/// address's next call, or the next sweep).
/// </para>
/// </remarks>
internal sealed partial class AuthFailureLimiter
{
    /// <summary>Addresses tracked at most.</summary>
    public const int MaxTrackedPeers = 10_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Peer> _peers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<AuthFailureLimiter> _logger;
    private readonly long _window;
    private int _tracked;
    private long _nextSweep;
    private int _full;

    public AuthFailureLimiter(IOptions<ClawScaleOptions> options, TimeProvider time, ILogger<AuthFailureLimiter> logger)
    {
        _time = time;
        _logger = logger;
        Limit = Math.Max(0, options.Value.Security.AuthFailureLimit);
        Window = options.Value.Security.AuthFailureWindow;
        _window = Math.Max(1, Window.Ticks);
    }

    /// <summary>Failures per address and window; 0 when the limit is off.</summary>
    public int Limit { get; }

    /// <summary>The counting window and the length of a refusal.</summary>
    public TimeSpan Window { get; }

    /// <summary>Whether failures are counted at all.</summary>
    public bool IsEnabled => Limit > 0;

    /// <summary>Addresses tracked now (for tests and diagnostics).</summary>
    public int TrackedPeers => _peers.Count;

    /// <summary>
    /// How long <paramref name="peer"/> is still refused, or null when its key may be checked. Counts the refusal.
    /// </summary>
    /// <param name="peer">The address key from <see cref="PeerKey"/>.</param>
    public TimeSpan? RetryAfter(string peer)
    {
        if (!IsEnabled || Volatile.Read(ref _tracked) == 0) return null;
        var now = _time.GetUtcNow().UtcTicks;
        MaybeSweep(now);
        if (!_peers.TryGetValue(peer, out var state)) return null;
        long ended;
        lock (state)
        {
            if (state.LimitedUntil > now)
            {
                state.Refused++;
                return TimeSpan.FromTicks(state.LimitedUntil - now);
            }

            ended = state.EndEpisode();
        }

        if (ended >= 0) LogEpisodeEnded(_logger, peer, ended);
        return null;
    }

    /// <summary>Counts a failed key check of <paramref name="peer"/>; logs when it reaches the limit.</summary>
    /// <param name="peer">The address key from <see cref="PeerKey"/>.</param>
    public void RecordFailure(string peer)
    {
        if (!IsEnabled) return;
        var now = _time.GetUtcNow().UtcTicks;
        MaybeSweep(now);
        if (!_peers.TryGetValue(peer, out var state))
        {
            if (Volatile.Read(ref _tracked) >= MaxTrackedPeers)
            {
                Sweep(now);
                if (Volatile.Read(ref _tracked) >= MaxTrackedPeers)
                {
                    if (Interlocked.Exchange(ref _full, 1) == 0) LogTableFull(_logger, MaxTrackedPeers);
                    return;
                }
            }

            state = _peers.GetOrAdd(peer, static (_, s) => s.Self.NewPeer(s.Now), (Self: this, Now: now));
        }

        long ended;
        DateTimeOffset? limitedUntil = null;
        lock (state)
        {
            // A call that passed RetryAfter just before another reached the limit: already refused for this window.
            if (state.LimitedUntil > now) return;
            ended = state.EndEpisode();
            if (now - state.WindowStart >= _window || state.Failures == 0)
            {
                state.WindowStart = now;
                state.Failures = 0;
            }

            if (++state.Failures >= Limit)
            {
                state.LimitedUntil = now + _window;
                limitedUntil = new DateTimeOffset(state.LimitedUntil, TimeSpan.Zero);
            }
        }

        if (ended >= 0) LogEpisodeEnded(_logger, peer, ended);
        if (limitedUntil is { } until) LogLimited(_logger, peer, Limit, Window, until);
    }

    /// <summary>
    /// The answer to a refused call: RESOURCE_EXHAUSTED saying when to retry, with the trailers <c>retry-after</c>
    /// (whole seconds, as HTTP's <c>Retry-After</c>) and <c>grpc-retry-pushback-ms</c> (gRFC A6, honoured by gRPC
    /// clients whose retry policy retries RESOURCE_EXHAUSTED).
    /// </summary>
    /// <param name="retryAfter">From <see cref="RetryAfter"/>.</param>
    public RpcException Refusal(TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        var trailers = new Metadata
        {
            { "retry-after", seconds.ToString(CultureInfo.InvariantCulture) },
            { "grpc-retry-pushback-ms", ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) },
        };
        return new RpcException(new Status(StatusCode.ResourceExhausted,
            $"Too many failed API-key checks from this address ({Limit} within {Window}, ClawScale:Security:AuthFailureLimit): keys from it are not checked for {seconds} s. " +
            $"Retry after {seconds} s with a valid key (see the retry-after trailer)."), trailers);
    }

    /// <summary>
    /// The key failures are counted under: the IPv4 address (IPv4-mapped IPv6 included), the /64 prefix of an IPv6
    /// address (<c>2001:db8:1:2::/64</c>), or <c>unknown</c> when the transport has no address.
    /// </summary>
    /// <param name="address">The remote address of the connection.</param>
    public static string PeerKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>The remote address of a gRPC call: the connection's, or parsed from <see cref="ServerCallContext.Peer"/> (<c>ipv4:1.2.3.4:5</c>, <c>ipv6:[::1]:5</c>).</summary>
    public static IPAddress? RemoteAddress(ServerCallContext context)
    {
        try
        {
            return context.GetHttpContext().Connection.RemoteIpAddress;
        }
        catch (InvalidOperationException)
        {
            // Not a grpc-dotnet call (unit tests): fall back to the peer string.
        }

        var peer = context.Peer;
        var colon = peer?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon < 0) return null;
        var rest = peer![(colon + 1)..];
        if (rest.StartsWith('[')) rest = rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))];
        else if (rest.LastIndexOf(':') is var port and > 0) rest = rest[..port];
        return IPAddress.TryParse(rest, out var address) ? address : null;
    }

    private Peer NewPeer(long now)
    {
        // Counted here rather than with ConcurrentDictionary.Count, which takes every lock of the dictionary.
        Interlocked.Increment(ref _tracked);
        return new Peer { WindowStart = now };
    }

    private void MaybeSweep(long now)
    {
        if (now >= Interlocked.Read(ref _nextSweep)) Sweep(now);
    }

    /// <summary>Drops addresses that are neither refused nor within a counting window, logging the ends of episodes.</summary>
    private void Sweep(long now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + SweepInterval.Ticks, next) != next) return;
        foreach (var (peer, state) in _peers)
        {
            long ended = -1;
            bool idle;
            lock (state)
            {
                idle = state.LimitedUntil <= now && now - state.WindowStart >= _window;
                if (idle) ended = state.EndEpisode();
            }

            if (!idle) continue;
            _peers.TryRemove(peer, out _);
            if (ended >= 0) LogEpisodeEnded(_logger, peer, ended);
        }

        Volatile.Write(ref _tracked, _peers.Count);
        if (Volatile.Read(ref _tracked) < MaxTrackedPeers) Volatile.Write(ref _full, 0);
    }

    /// <summary>The counters of one address; guarded by locking the instance.</summary>
    private sealed class Peer
    {
        public long WindowStart;
        public int Failures;

        /// <summary>UTC ticks until which the address is refused; 0 when no episode was started since the last end.</summary>
        public long LimitedUntil;

        public long Refused;

        /// <summary>Closes an episode that is over: returns its refused count, or -1 when there was none.</summary>
        public long EndEpisode()
        {
            if (LimitedUntil == 0) return -1;
            var refused = Refused;
            LimitedUntil = 0;
            Refused = 0;
            Failures = 0;
            return refused;
        }
    }

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning,
        Message = "Address {Peer} failed {Limit} API-key checks within {Window}: its calls are refused with RESOURCE_EXHAUSTED, without a database query, until {Until:u} (ClawScale:Security:AuthFailureLimit)")]
    private static partial void LogLimited(ILogger logger, string peer, int limit, TimeSpan window, DateTimeOffset until);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information,
        Message = "Address {Peer} is no longer refused for failed API-key checks; {Refused} calls were refused meanwhile")]
    private static partial void LogEpisodeEnded(ILogger logger, string peer, long refused);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning,
        Message = "{Max} addresses are failing API-key checks at once: failures of further addresses are not counted (they are checked against the database) until some of them go idle")]
    private static partial void LogTableFull(ILogger logger, int max);
}
