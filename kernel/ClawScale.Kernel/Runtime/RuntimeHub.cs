using System.Collections.Concurrent;
using ClawScale.Kernel.Telemetry;

namespace ClawScale.Kernel.Runtime;

/// <summary>
/// The runtime sessions connected to this kernel instance, by agent. DISPATCH claims turns of external-runtime agents
/// only for agents that have a session here with free capacity (<see cref="ServedAgentIds"/>), and picks a session per
/// conversation (<see cref="Pick"/>) so a conversation keeps going to the same replica while it is connected.
/// The sessions connected are counted in <c>clawscale.runtime.sessions</c>.
/// </summary>
internal sealed class RuntimeHub(KernelMetrics metrics)
{
    private readonly ConcurrentDictionary<string, RuntimeSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Adds a connected session.</summary>
    public void Register(RuntimeSession session)
    {
        if (_sessions.TryAdd(session.Id, session)) metrics.RuntimeSessionConnected(session.TenantId);
    }

    /// <summary>Removes a session whose stream ended.</summary>
    public void Unregister(RuntimeSession session)
    {
        if (_sessions.TryRemove(session.Id, out _)) metrics.RuntimeSessionDisconnected(session.TenantId);
    }

    /// <summary>The sessions connected now.</summary>
    public int Count => _sessions.Count;

    /// <summary>Agents with at least one connected session that can take a turn.</summary>
    public IReadOnlyList<string> ServedAgentIds() =>
        _sessions.Values.Where(s => s.HasCapacity).SelectMany(s => s.AgentIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A session of <paramref name="agentId"/> with a slot reserved for <paramref name="turnId"/>: the replica chosen by a
    /// stable hash of <paramref name="conversationId"/>, else the next one with capacity; null when none can take it.
    /// </summary>
    public RuntimeSession? Pick(string agentId, string conversationId, string turnId)
    {
        var candidates = _sessions.Values.Where(s => !s.IsClosed && s.AgentIds.Contains(agentId, StringComparer.Ordinal)).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        if (candidates.Count == 0) return null;
        var start = (int)(Fnv(conversationId) % (uint)candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var session = candidates[(start + i) % candidates.Count];
            if (session.TryReserve(turnId)) return session;
        }

        return null;
    }

    private static uint Fnv(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
