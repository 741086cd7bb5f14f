using System.Threading.Channels;
using ConnectResponse = ClawScale.Protos.V1.ConnectResponse;

namespace ClawScale.Kernel.Runtime;

/// <summary>
/// One connected runtime stream (RuntimeService.Connect): the agents it serves, its outbox of responses, and the turns
/// it holds (at most <see cref="MaxInFlight"/>). Turns it holds are claimed in the database with <see cref="ClaimTag"/>.
/// </summary>
internal sealed class RuntimeSession
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuntimeHandOff> _handOffs = new(StringComparer.Ordinal);
    private bool _closed;

    public RuntimeSession(string id, string tenantId, IReadOnlyList<string> agentIds, int maxInFlight, string runtimeName, string instanceId)
    {
        Id = id;
        TenantId = tenantId;
        AgentIds = agentIds;
        MaxInFlight = maxInFlight;
        RuntimeName = runtimeName;
        InstanceId = instanceId;
    }

    /// <summary>The session id sent in the welcome.</summary>
    public string Id { get; }

    /// <summary>The tenant of the runtime key.</summary>
    public string TenantId { get; }

    /// <summary>The agents this session serves.</summary>
    public IReadOnlyList<string> AgentIds { get; }

    /// <summary>Turns sent and not yet finished, at most.</summary>
    public int MaxInFlight { get; }

    /// <summary>The runtime's name (logs).</summary>
    public string RuntimeName { get; }

    /// <summary>The runtime's replica id (logs).</summary>
    public string InstanceId { get; }

    /// <summary><c>turns.claimed_by</c> of the turns this session holds (at most 64 characters).</summary>
    public string ClaimTag => "runtime:" + Id;

    /// <summary>Responses to write to the stream, in order.</summary>
    public Channel<ConnectResponse> Outbox { get; } = System.Threading.Channels.Channel.CreateUnbounded<ConnectResponse>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Whether the session can take another turn.</summary>
    public bool HasCapacity
    {
        get
        {
            lock (_gate) return !_closed && _inFlight.Count < MaxInFlight;
        }
    }

    /// <summary>Whether the stream has ended.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate) return _closed;
        }
    }

    /// <summary>Takes a slot for <paramref name="turnId"/>; false when full or closed.</summary>
    public bool TryReserve(string turnId)
    {
        lock (_gate)
        {
            if (_closed || _inFlight.Count >= MaxInFlight) return false;
            _inFlight[turnId] = 0;
            return true;
        }
    }

    /// <summary>Whether the session holds <paramref name="turnId"/>.</summary>
    public bool Holds(string turnId)
    {
        lock (_gate) return _inFlight.ContainsKey(turnId);
    }

    /// <summary>
    /// Reserves <paramref name="count"/> reply numbers of <paramref name="turnId"/> and returns the first: replies of one
    /// attempt are numbered 0, 1, … so the same replies re-sent after a redelivery get the same idempotency keys.
    /// </summary>
    public int NextReplyNumbers(string turnId, int count)
    {
        lock (_gate)
        {
            _inFlight.TryGetValue(turnId, out var first);
            _inFlight[turnId] = first + count;
            return first;
        }
    }

    /// <summary>Keeps what DISPATCH knew of <paramref name="turnId"/> until its slot is released (metrics and trace of the turn).</summary>
    public void Remember(string turnId, RuntimeHandOff handOff)
    {
        lock (_gate) _handOffs[turnId] = handOff;
    }

    /// <summary>What DISPATCH knew of <paramref name="turnId"/>, or null.</summary>
    public RuntimeHandOff? HandOffOf(string turnId)
    {
        lock (_gate) return _handOffs.GetValueOrDefault(turnId);
    }

    /// <summary>Frees the slot of <paramref name="turnId"/>.</summary>
    public void Release(string turnId)
    {
        lock (_gate)
        {
            _inFlight.Remove(turnId);
            _handOffs.Remove(turnId);
        }
    }

    /// <summary>Marks the session closed: no new turns; the outbox is completed.</summary>
    public void Close()
    {
        lock (_gate) _closed = true;
        Outbox.Writer.TryComplete();
    }
}
