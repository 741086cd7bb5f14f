namespace ClawScale.Plugins.WeCom;

/// <summary>
/// A sliding one-minute window of messages per member (WeCom message/send "发送限制": one app may send one member at most
/// 30 messages a minute; the rest are dropped without an error). <see cref="TryTake"/> records a send when there is room
/// and otherwise says how long until the oldest send leaves the window. Memory: one queue per member written to within
/// the last minute (idle members are removed once more than 1000 are kept).
/// </summary>
internal sealed class WeComMemberLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _sends = new(StringComparer.Ordinal);
    private readonly int _limit;

    public WeComMemberLimiter(int limit) => _limit = limit;

    /// <summary>Takes one slot for <paramref name="member"/>, or returns the wait until one is free.</summary>
    /// <param name="member">The UserID.</param>
    /// <param name="now">The channel clock's time.</param>
    /// <param name="slots">How many slots the send needs (one per text part); at most the limit is checked.</param>
    /// <returns>Zero when taken; otherwise the delay after which to try again.</returns>
    public TimeSpan TryTake(string member, DateTimeOffset now, int slots = 1)
    {
        lock (_sends)
        {
            if (_sends.Count > 1000)
                foreach (var key in _sends.Where(p => p.Value.Count == 0 || p.Value.Last() <= now - Window).Select(p => p.Key).ToArray())
                    _sends.Remove(key);
            if (!_sends.TryGetValue(member, out var queue))
                _sends[member] = queue = new Queue<DateTimeOffset>();
            while (queue.Count > 0 && queue.Peek() <= now - Window)
                queue.Dequeue();
            var need = Math.Clamp(slots, 1, _limit);
            if (queue.Count + need > _limit)
            {
                var oldestNeeded = queue.ElementAt(queue.Count + need - _limit - 1);
                var wait = oldestNeeded + Window - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1);
            }

            for (var i = 0; i < need; i++)
                queue.Enqueue(now);
            return TimeSpan.Zero;
        }
    }
}
