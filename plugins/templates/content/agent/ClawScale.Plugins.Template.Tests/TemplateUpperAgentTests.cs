using ClawScale.Plugins.Agents;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Plugins.Template.Tests;

/// <summary>The agent through its factory, as the kernel uses it: validate the settings, create, answer a turn.</summary>
public sealed class TemplateUpperAgentTests
{
    [Fact]
    public async Task Answers_with_the_prefix_and_the_text_in_upper_case()
    {
        var factory = new TemplateUpperAgentFactory();
        var config = new Dictionary<string, string> { ["prefix"] = ">> " };
        Assert.Empty(factory.Validate(config, new Dictionary<string, string>()));
        using var http = new HttpClient();
        await using var backend = factory.Create(new AgentContext { AgentId = "a-1", TenantId = "t-1", Config = config, HttpClient = http, Logger = NullLogger.Instance });

        var replies = new List<AgentReply>();
        await foreach (var reply in backend.RespondAsync(Turn("hello"), CancellationToken.None)) replies.Add(reply);

        Assert.Equal(">> HELLO", Assert.Single(replies).Text);
    }

    [Fact]
    public void A_too_long_prefix_is_refused_naming_the_field()
    {
        var problems = new TemplateUpperAgentFactory().Validate(new Dictionary<string, string> { ["prefix"] = new string('x', 33) }, new Dictionary<string, string>());
        Assert.StartsWith("config.prefix", Assert.Single(problems), StringComparison.Ordinal);
    }

    private static AgentTurn Turn(string text) => new()
    {
        TurnId = "turn-1",
        ConversationId = "c-1",
        CustomerId = "cu-1",
        ChannelKind = "webchat",
        Message = new ConversationMessage(ConversationRole.User, text, [], DateTimeOffset.UnixEpoch),
    };
}
