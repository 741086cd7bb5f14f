using ClawScale.Protos.V1;

namespace ClawScale.Client.Runtime;

/// <summary>
/// Serves one turn: yields the reply messages in order (each is sent as soon as the next one is known; the last one
/// ends the turn with <c>final = true</c>). Throwing reports a <c>TurnFailure</c> with the exception's message (shown
/// to admins; the user gets the kernel's apology). <paramref name="cancellationToken"/> fires when the worker stops
/// or its stream breaks.
/// </summary>
public delegate IAsyncEnumerable<ReplyMessage> RuntimeTurnHandler(RuntimeTurn turn, CancellationToken cancellationToken);
