using System.Runtime.CompilerServices;
using ClawScale.Plugins.Agents;

namespace ClawScale.Plugins.Echo;

/// <summary>Answers a turn with its own text; see <see cref="EchoAgentBackendFactory"/>.</summary>
internal sealed class EchoAgentBackend(EchoOptions options, AgentContext context) : IAgentBackend
{
    public async IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var text = Compose(options.Prefix, turn.Message);
        EchoLog.Echoing(context.Logger, turn.TurnId, options.ReplyCount);
        for (var i = 1; i <= options.ReplyCount; i++)
        {
            if (options.Delay > TimeSpan.Zero)
            {
                await Task.Delay(options.Delay, context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new AgentReply(options.ReplyCount == 1 ? text : $"{text} ({i}/{options.ReplyCount})");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary><c>prefix + text</c>, then <c>received N attachment(s)</c> on its own line when there are any.</summary>
    internal static string Compose(string prefix, ConversationMessage message)
    {
        var text = message.Text ?? string.Empty;
        var count = message.Attachments?.Count ?? 0;
        if (count == 0)
        {
            return prefix + text;
        }

        var note = $"received {count} attachment{(count == 1 ? string.Empty : "s")}";
        return text.Length == 0 ? prefix + note : $"{prefix}{text}\n{note}";
    }
}
