using System.Collections.Concurrent;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// Remembers Discord's rate limits ("Rate Limits") per route key (a channel id, or an interaction's webhook) and
/// globally: after an answer with <c>X-RateLimit-Remaining: 0</c> the route is blocked for
/// <c>X-RateLimit-Reset-After</c>; after a 429 the route (or, with <c>global</c>, every route) is blocked for
/// <c>retry_after</c>. Buckets are keyed by the route's major parameter (the channel), which is how Discord scopes
/// the message-create limit.
/// </summary>
internal sealed class DiscordRateLimiter
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _routes = new(StringComparer.Ordinal);
    private long _globalUntilTicks;

    /// <summary>How long to wait before calling <paramref name="routeKey"/>; zero when free.</summary>
    public TimeSpan WaitFor(string routeKey, DateTimeOffset now)
    {
        var until = new DateTimeOffset(Interlocked.Read(ref _globalUntilTicks), TimeSpan.Zero);
        if (_routes.TryGetValue(routeKey, out var routeUntil) && routeUntil > until)
            until = routeUntil;
        return until > now ? until - now : TimeSpan.Zero;
    }

    /// <summary>Records what an answer said about the limits.</summary>
    public void Observe<T>(string routeKey, DiscordApiResult<T> result, DateTimeOffset now)
    {
        if (result.StatusCode == 429 && result.RetryAfter is { } retryAfter)
        {
            if (result.IsGlobal)
                Interlocked.Exchange(ref _globalUntilTicks, (now + retryAfter).UtcTicks);
            else
                _routes[routeKey] = now + retryAfter;
            return;
        }

        if (result.RateLimitRemaining == 0 && result.RateLimitResetAfter is { } reset)
            _routes[routeKey] = now + reset;
        else if (result.Ok)
            _routes.TryRemove(routeKey, out _);
    }
}
