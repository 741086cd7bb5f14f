namespace ClawScale.Client.Runtime;

/// <summary>Settings of a <see cref="RuntimeWorker"/>.</summary>
public sealed record RuntimeWorkerOptions
{
    /// <summary>Agents served (each must be bound to the runtime key). Empty (default): every agent of the key.</summary>
    public IReadOnlyList<string> AgentIds { get; init; } = [];

    /// <summary>Free-form name of the runtime, shown in the kernel's logs. Default <c>clawscale-csharp</c>.</summary>
    public string RuntimeName { get; init; } = "clawscale-csharp";

    /// <summary>Distinguishes replicas of one runtime. Default: a new GUID per worker (kept across reconnects).</summary>
    public string InstanceId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Turns served at once, also sent as <c>max_in_flight</c> in the hello. Default 16.</summary>
    public int MaxInFlight { get; init; } = 16;

    /// <summary>Heartbeat interval when the welcome names none. Default 15 seconds.</summary>
    public TimeSpan DefaultHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Delay before the first reconnect; doubles per failed attempt with ±50 % jitter. Default 500 ms.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of the reconnect delay. Default 30 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called when the stream breaks (before reconnecting), with the reason. Default: nothing.</summary>
    public Action<Exception>? OnDisconnected { get; init; }
}
