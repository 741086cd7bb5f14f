namespace ClawScale.Plugins.Agents;

/// <summary>
/// One configured agent. Created by <see cref="IAgentBackendFactory.Create"/> and disposed when the agent changes
/// or its plugin is reloaded.
/// </summary>
public interface IAgentBackend : IAsyncDisposable
{
    /// <summary>
    /// Answers a turn. Yield each reply message as soon as it is complete; the kernel stores and delivers them in
    /// order. Throw <see cref="AgentException"/> for provider errors: its <see cref="AgentException.UserMessage"/>
    /// is sent to the user and the turn is marked failed where admins see it.
    /// </summary>
    /// <param name="turn">The message and its context.</param>
    /// <param name="cancellationToken">Cancelled on the kernel's turn timeout or shutdown.</param>
    /// <returns>The reply messages.</returns>
    IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, CancellationToken cancellationToken);
}
