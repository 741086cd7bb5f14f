namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>What ACCEPT needs to store turns already claimed for this instance's DISPATCH.</summary>
/// <param name="Pool">DISPATCH's slots.</param>
/// <param name="Instance">This instance (<c>claimed_by</c>).</param>
/// <param name="Lease">The lease of a claimed turn (<see cref="PipelineOptions.LeaseDuration"/>).</param>
/// <param name="ServedRuntimeAgents">The connected-runtime agents with a session here (only their turns are claimed here).</param>
/// <param name="Signals">Signals DISPATCH to claim turns that were stored pending.</param>
internal sealed record TurnHandOff(TurnPool Pool, string Instance, TimeSpan Lease, Func<IReadOnlySet<string>> ServedRuntimeAgents, IPipelineSignals Signals);
