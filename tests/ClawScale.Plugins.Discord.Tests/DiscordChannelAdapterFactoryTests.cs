using Xunit;

namespace ClawScale.Plugins.Discord.Tests;

public sealed class DiscordChannelAdapterFactoryTests
{
    [Fact]
    public void Every_problem_is_reported_with_its_field()
    {
        var problems = new DiscordChannelAdapterFactory().Validate(
            new Dictionary<string, string> { ["public_key"] = "xyz", ["gateway_url"] = "http://x", ["intents"] = "-1", ["aplication_id"] = "1" },
            new Dictionary<string, string>());

        Assert.Contains(problems, p => p.StartsWith("credentials.bot_token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.public_key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.gateway_url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.intents", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.aplication_id", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_the_v10_api_and_the_three_message_intents()
    {
        var options = DiscordOptions.Parse(new Dictionary<string, string>(), out var errors);
        Assert.Empty(errors);
        Assert.Equal(37376, options.Intents);
        Assert.Equal("https://discord.com/api/v10", options.ApiBaseUrl.AbsoluteUri.TrimEnd('/'));
        Assert.Null(options.GatewayUrl);
        Assert.Equal("discord", new DiscordChannelAdapterFactory().Kind);
    }
}
