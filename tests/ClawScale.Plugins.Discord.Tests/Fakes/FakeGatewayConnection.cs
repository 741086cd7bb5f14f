using System.Net.WebSockets;
using System.Text.Json;

namespace ClawScale.Plugins.Discord.Tests.Fakes;

/// <summary>One WebSocket connection the fake Gateway accepted, and what the client sent on it.</summary>
public sealed class FakeGatewayConnection
{
    private readonly object _gate = new();
    private readonly List<long?> _heartbeats = [];

    internal FakeGatewayConnection(WebSocket socket, string path, string query)
    {
        Socket = socket;
        Path = path;
        Query = query;
    }

    internal WebSocket Socket { get; }

    internal SemaphoreSlim SendLock { get; } = new(1, 1);

    public string Path { get; }

    public string Query { get; }

    /// <summary>The op 2 Identify data, if the client identified.</summary>
    public JsonElement? Identify { get; internal set; }

    /// <summary>The op 6 Resume data, if the client resumed.</summary>
    public JsonElement? Resume { get; internal set; }

    /// <summary>True once the connection ended.</summary>
    public bool Ended { get; internal set; }

    /// <summary>The <c>d</c> of each op 1 heartbeat received (the client's last sequence).</summary>
    public IReadOnlyList<long?> Heartbeats
    {
        get
        {
            lock (_gate)
                return _heartbeats.ToArray();
        }
    }

    internal void AddHeartbeat(long? sequence)
    {
        lock (_gate)
            _heartbeats.Add(sequence);
    }
}
