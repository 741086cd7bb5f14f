namespace ClawScale.Plugins.Signal;

/// <summary>How the listener receives (config <c>mode</c>); must match the REST API's <c>MODE</c>.</summary>
public enum SignalReceiveMode
{
    /// <summary><c>polling</c>: <c>GET /v1/receive/{number}?timeout=…</c> in a loop, for <c>MODE=normal</c> or <c>native</c>.</summary>
    Polling = 0,

    /// <summary><c>websocket</c>: one WebSocket on <c>/v1/receive/{number}</c>, for <c>MODE=json-rpc</c>.</summary>
    WebSocket = 1,
}
