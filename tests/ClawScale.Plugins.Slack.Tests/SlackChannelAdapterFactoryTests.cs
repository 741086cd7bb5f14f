using Xunit;

namespace ClawScale.Plugins.Slack.Tests;

public sealed class SlackChannelAdapterFactoryTests
{
    private static readonly SlackChannelAdapterFactory Factory = new();

    [Fact]
    public void Kind_is_slack() => Assert.Equal("slack", Factory.Kind);

    [Fact]
    public void Events_mode_needs_a_bot_token_and_a_signing_secret()
    {
        var problems = Factory.Validate(new Dictionary<string, string>(), new Dictionary<string, string>());
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("credentials.bot_token is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.signing_secret is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Socket_mode_needs_an_app_token_but_no_signing_secret()
    {
        var problems = Factory.Validate(new Dictionary<string, string> { ["mode"] = "socket" }, new Dictionary<string, string> { ["bot_token"] = "xoxb-1" });
        Assert.Equal("credentials.app_token is required in socket mode: an app-level token (xapp-…) with the connections:write scope", Assert.Single(problems));
        Assert.Empty(Factory.Validate(new Dictionary<string, string> { ["mode"] = "socket" }, new Dictionary<string, string> { ["bot_token"] = "xoxb-1", ["app_token"] = "xapp-1" }));
    }

    [Fact]
    public void Every_bad_field_is_named_at_once()
    {
        var problems = Factory.Validate(
            new Dictionary<string, string> { ["mode"] = "rtm", ["api_base_url"] = "ftp://x", ["bot_user_id"] = "bot", ["reply_in_thread"] = "maybe", ["socket_silence_seconds"] = "1" },
            new Dictionary<string, string> { ["bot_token"] = "xoxp-user", ["signing_secret"] = "s" });
        Assert.Equal(6, problems.Count);
        foreach (var field in new[] { "config.mode", "config.api_base_url", "config.bot_user_id", "config.reply_in_thread", "config.socket_silence_seconds", "credentials.bot_token" })
            Assert.Contains(problems, p => p.StartsWith(field, StringComparison.Ordinal));
    }
}
