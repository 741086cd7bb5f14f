using System.Collections.Concurrent;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>
/// The live event streams of web chat visitors, keyed by (channel id, visitor id). <see cref="WebChatAdapter.SendAsync"/>
/// publishes here; each <c>GET /chat/{channelId}/events</c> holds one <see cref="WebChatConnection"/> while open.
/// In-process only: with several kernel instances, a visitor whose page is connected to another instance sees the
/// reply when the page reloads its history.
/// </summary>
internal sealed class WebChatHub(TimeProvider time)
{
    /// <summary>The most event streams one visitor may hold open on one channel (several tabs).</summary>
    public const int MaxConnectionsPerVisitor = 5;

    private readonly ConcurrentDictionary<(string ChannelId, string VisitorId), List<WebChatConnection>> _connections = new();

    /// <summary>Opens a stream for a visitor, or returns null when the visitor already has <see cref="MaxConnectionsPerVisitor"/>.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="visitorId">The visitor.</param>
    /// <returns>The connection (dispose it when the request ends), or null.</returns>
    public WebChatConnection? TryConnect(string channelId, string visitorId)
    {
        var key = (channelId, visitorId);
        while (true)
        {
            var list = _connections.GetOrAdd(key, _ => []);
            lock (list)
            {
                // A list removed from the map by the last disconnect is dead; take a fresh one.
                if (!_connections.TryGetValue(key, out var current) || !ReferenceEquals(current, list)) continue;
                if (list.Count >= MaxConnectionsPerVisitor) return null;
                var connection = new WebChatConnection(this, key);
                list.Add(connection);
                return connection;
            }
        }
    }

    /// <summary>The number of open streams of a visitor.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="visitorId">The visitor.</param>
    /// <returns>The count.</returns>
    public int ConnectionCount(string channelId, string visitorId)
    {
        if (!_connections.TryGetValue((channelId, visitorId), out var list)) return 0;
        lock (list) return list.Count;
    }

    /// <summary>Queues an agent message on every open stream of the visitor.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="visitorId">The visitor (the delivery route's external chat id).</param>
    /// <param name="id">The message id shown to the page.</param>
    /// <param name="text">The text.</param>
    /// <returns>How many streams it was queued on (0 when the visitor has no open page).</returns>
    public int Publish(string channelId, string visitorId, string id, string text)
    {
        if (!_connections.TryGetValue((channelId, visitorId), out var list)) return 0;
        var message = new WebChatMessage(id, WebChatMessage.AgentRole, text, time.GetUtcNow());
        WebChatConnection[] targets;
        lock (list) targets = [.. list];
        foreach (var connection in targets) connection.Enqueue(message);
        return targets.Length;
    }

    internal void Remove(WebChatConnection connection)
    {
        if (!_connections.TryGetValue(connection.Key, out var list)) return;
        lock (list)
        {
            list.Remove(connection);
            if (list.Count == 0) _connections.TryRemove(new KeyValuePair<(string, string), List<WebChatConnection>>(connection.Key, list));
        }
    }
}
