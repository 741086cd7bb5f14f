namespace ClawScale.Kernel.Runtime;

/// <summary>
/// What DISPATCH knew when it handed a turn to a connected runtime, kept by the session (<see cref="RuntimeSession.Remember"/>)
/// until the runtime finishes the turn: the labels and start of the turn's metrics, and the trace context its reply
/// deliveries continue.
/// </summary>
/// <param name="ChannelKind">The conversation's channel kind.</param>
/// <param name="AgentKind">The agent's kind (<c>external</c>).</param>
/// <param name="StartedTimestamp">When DISPATCH took the turn up (<see cref="TimeProvider.GetTimestamp"/>).</param>
/// <param name="TraceParent">The W3C traceparent of the DISPATCH span (or the turn's stored one), or null.</param>
internal sealed record RuntimeHandOff(string ChannelKind, string AgentKind, long StartedTimestamp, string? TraceParent);
