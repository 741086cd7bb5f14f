using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Time.Testing;

namespace ClawScale.Plugins.Agents.Tests.Support;

/// <summary>Builders for turns and agent contexts.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One client for all tests; like the kernel's, with an infinite timeout.</summary>
    public static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public static ConversationMessage User(string? text, params MessageAttachment[] attachments) =>
        new(ConversationRole.User, text, attachments, Start);

    public static ConversationMessage Agent(string text) => new(ConversationRole.Agent, text, [], Start);

    public static ConversationMessage Notice(string text) => new(ConversationRole.System, text, [], Start);

    public static AgentTurn Turn(ConversationMessage message, params ConversationMessage[] history) => new()
    {
        TurnId = "turn-1",
        ConversationId = "conv-1",
        CustomerId = "cust-1",
        CustomerDisplayName = "Ada",
        ChannelKind = "telegram",
        Message = message,
        History = history,
    };

    public static AgentTurn Turn(string text) => Turn(User(text));

    public static AgentContext Context(
        IReadOnlyDictionary<string, string> config,
        IReadOnlyDictionary<string, string>? credentials = null,
        TimeProvider? timeProvider = null,
        CapturingLogger? logger = null) => new()
    {
        AgentId = "agent-1",
        TenantId = "tenant-1",
        Config = config,
        Credentials = credentials ?? new Dictionary<string, string>(),
        HttpClient = Http,
        Logger = logger ?? new CapturingLogger(),
        TimeProvider = timeProvider ?? new FakeTimeProvider(Start),
    };

    public static async Task<List<AgentReply>> CollectAsync(IAgentBackend backend, AgentTurn turn, CancellationToken cancellationToken = default)
    {
        var replies = new List<AgentReply>();
        await foreach (var reply in backend.RespondAsync(turn, cancellationToken))
        {
            replies.Add(reply);
        }

        return replies;
    }

    /// <summary>A real-time bound for a task the test expects to finish.</summary>
    public static Task<T> Bounded<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(15));
}
