using System.Globalization;
using System.Runtime.CompilerServices;
using ClawScale.Plugins.Agents;

namespace ClawScale.Plugins.Template;

/// <summary>
/// The <c>template-upper</c> agent: answers every turn with the user's text in upper case (invariant culture),
/// after the configured <c>prefix</c>. A message without text gets no reply.
/// </summary>
/// <param name="prefix">Text put before every reply; empty for none.</param>
public sealed class TemplateUpperAgentBackend(string prefix) : IAgentBackend
{
    /// <summary>Answers a turn with one reply: the prefix and the upper-cased text.</summary>
    /// <param name="turn">The user's message and its context.</param>
    /// <param name="cancellationToken">Cancelled on the kernel's turn timeout or shutdown; honour it in real backends.</param>
    /// <returns>Zero or one reply.</returns>
    public async IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        if (turn.Message.Text is { Length: > 0 } text)
        {
            yield return new AgentReply(prefix + text.ToUpper(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Releases nothing: this backend holds no resources. Real backends close connections here.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
