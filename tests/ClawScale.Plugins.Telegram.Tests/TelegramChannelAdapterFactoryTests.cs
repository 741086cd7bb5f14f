using ClawScale.Plugins.Telegram.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Telegram.Tests;

public class TelegramChannelAdapterFactoryTests
{
    private static readonly Dictionary<string, string> NoConfig = [];

    [Fact]
    public void Kind_is_telegram() => Assert.Equal("telegram", new TelegramChannelAdapterFactory().Kind);

    [Fact]
    public void Valid_token_and_config_give_no_errors()
    {
        var errors = new TelegramChannelAdapterFactory().Validate(
            new Dictionary<string, string> { ["mode"] = "webhook", ["api_base_url"] = "http://127.0.0.1:8081", ["bot_username"] = "@yourbot" },
            new Dictionary<string, string> { ["bot_token"] = TestChannel.Token });
        Assert.Empty(errors);
    }

    [Fact]
    public void Missing_token_is_reported()
    {
        var errors = new TelegramChannelAdapterFactory().Validate(NoConfig, new Dictionary<string, string>());
        Assert.Contains(errors, e => e.StartsWith("credentials.bot_token is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = new TelegramChannelAdapterFactory().Validate(
            new Dictionary<string, string> { ["mode"] = "push", ["api_base_url"] = "api.telegram.org", ["polling_timeout_seconds"] = "90" },
            new Dictionary<string, string> { ["bot_token"] = "not-a-token" });
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("credentials.bot_token must be shaped", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("config.mode", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("config.api_base_url", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("config.polling_timeout_seconds", StringComparison.Ordinal));
    }

    [Fact]
    public void Mode_defaults_to_webhook_only_when_the_kernel_has_a_public_url()
    {
        Assert.Equal(TelegramMode.Webhook, TelegramOptions.Parse(NoConfig, hasPublicWebhookUrl: true, out _).Mode);
        Assert.Equal(TelegramMode.Polling, TelegramOptions.Parse(NoConfig, hasPublicWebhookUrl: false, out _).Mode);
        var defaults = TelegramOptions.Parse(NoConfig, false, out var errors);
        Assert.Empty(errors);
        Assert.Equal(new Uri("https://api.telegram.org"), defaults.ApiBaseUrl);
        Assert.Equal(25, defaults.PollingTimeoutSeconds);
        Assert.Equal(4096, defaults.MaxMessageLength);
    }

    [Fact]
    public void Create_throws_with_every_problem()
    {
        using var channel = new TestChannel();
        var ex = Assert.Throws<ArgumentException>(() => channel.Create(token: "123:short", mode: "carrier-pigeon"));
        Assert.Contains("bot_token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("config.mode", ex.Message, StringComparison.Ordinal);
    }
}
