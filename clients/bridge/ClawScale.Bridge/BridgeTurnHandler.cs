using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ClawScale.Protos.V1;

namespace ClawScale.Bridge;

/// <summary>
/// Serves a turn by running the configured command: the user's message text on stdin, the turn in environment
/// variables (<c>CLAWSCALE_TURN_ID</c>, <c>CLAWSCALE_CONVERSATION_ID</c>, <c>CLAWSCALE_CUSTOMER_ID</c>,
/// <c>CLAWSCALE_CHANNEL_ID</c>, <c>CLAWSCALE_HISTORY_JSON</c>), and stdout (trimmed) as the one reply. A non-zero exit,
/// a timeout or empty output throws <see cref="BridgeCommandException"/> (the worker reports it as a turn failure).
/// </summary>
public sealed class BridgeTurnHandler(BridgeOptions options)
{
    /// <summary>The environment variables the command gets for <paramref name="turn"/>.</summary>
    /// <remarks><c>CLAWSCALE_HISTORY_JSON</c> is a JSON array, oldest first, of <c>{"role":"user|agent|system","text":…,"time":ISO 8601}</c>.</remarks>
    public static Dictionary<string, string> Environment(RuntimeTurn turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CLAWSCALE_TURN_ID"] = turn.TurnId,
            ["CLAWSCALE_CONVERSATION_ID"] = turn.Conversation?.Id ?? turn.Message?.ConversationId ?? string.Empty,
            ["CLAWSCALE_CUSTOMER_ID"] = turn.Customer?.Id ?? string.Empty,
            ["CLAWSCALE_CHANNEL_ID"] = turn.Conversation?.ChannelId ?? turn.DeliveryRoute?.ChannelId ?? string.Empty,
            ["CLAWSCALE_HISTORY_JSON"] = HistoryJson(turn.History),
        };
    }

    /// <summary>Runs the command for <paramref name="turn"/> and yields its reply.</summary>
    /// <exception cref="BridgeCommandException">The command failed, timed out or printed nothing.</exception>
    public async IAsyncEnumerable<ReplyMessage> HandleAsync(RuntimeTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var result = await CommandRunner.RunAsync(options.Command, turn.Message?.Text ?? string.Empty, Environment(turn), options.Timeout, options.WorkingDirectory, cancellationToken)
            .ConfigureAwait(false);
        if (result.TimedOut)
            throw new BridgeCommandException($"'{options.Command.FileName}' timed out after {options.Timeout.TotalSeconds:0.#} s. stderr: {Excerpt(result.Stderr)}");
        if (result.ExitCode != 0)
            throw new BridgeCommandException($"'{options.Command.FileName}' exited with code {result.ExitCode}. stderr: {Excerpt(result.Stderr)}");
        var text = result.Stdout.Trim();
        if (text.Length == 0)
            throw new BridgeCommandException($"'{options.Command.FileName}' printed nothing on stdout. stderr: {Excerpt(result.Stderr)}");
        yield return new ReplyMessage { Text = text };
    }

    private string Excerpt(string stderr)
    {
        stderr = stderr.Trim();
        if (stderr.Length == 0) return "(empty)";
        return stderr.Length <= options.StderrExcerptLength ? stderr : "…" + stderr[^options.StderrExcerptLength..];
    }

    private static string HistoryJson(IEnumerable<Message> history)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var m in history)
            {
                json.WriteStartObject();
                json.WriteString("role", m.Role switch { MessageRole.User => "user", MessageRole.Agent => "agent", MessageRole.System => "system", _ => "unspecified" });
                json.WriteString("text", m.Text);
                if (m.CreateTime is not null) json.WriteString("time", m.CreateTime.ToDateTimeOffset());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
