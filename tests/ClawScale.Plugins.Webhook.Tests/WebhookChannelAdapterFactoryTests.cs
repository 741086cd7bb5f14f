using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Webhook.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Webhook.Tests;

public class WebhookChannelAdapterFactoryTests
{
    private static readonly Dictionary<string, string> NoCredentials = [];

    [Fact]
    public void Kind_is_webhook() => Assert.Equal("webhook", new WebhookChannelAdapterFactory().Kind);

    [Fact]
    public void Valid_config_has_no_problems()
    {
        var problems = new WebhookChannelAdapterFactory().Validate(
            new Dictionary<string, string> { ["callback_url"] = "https://example.com/cb", ["provider"] = "crm", ["timeout_seconds"] = "30" },
            new Dictionary<string, string> { ["callback_secret"] = "0123456789abcdef" });
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_problem_is_reported_together_naming_the_field()
    {
        var problems = new WebhookChannelAdapterFactory().Validate(
            new Dictionary<string, string> { ["callback_url"] = "ftp://example.com/cb", ["provider"] = "CRM!", ["timeout_seconds"] = "0" },
            new Dictionary<string, string> { ["callback_secret"] = "short" });
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("config.callback_url must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.provider must be", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.timeout_seconds must be", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.callback_secret must be at least 16", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("/relative/callback")]
    [InlineData("https://user:pass@example.com/cb")]
    public void Callback_url_is_required_and_absolute_http(string? url)
    {
        var config = url is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["callback_url"] = url };
        var problem = Assert.Single(new WebhookChannelAdapterFactory().Validate(config, NoCredentials));
        Assert.StartsWith("config.callback_url ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_refuses_a_misconfigured_channel_with_every_problem()
    {
        using var channel = new TestChannel();
        var context = new ChannelContext
        {
            ChannelId = "ch_bad",
            TenantId = "tn",
            Config = new Dictionary<string, string> { ["timeout_seconds"] = "x" },
            WebhookSecret = "s",
            HttpClient = channel.Http,
            Logger = channel.Logger,
        };
        var ex = Assert.Throws<ArgumentException>(() => new WebhookChannelAdapterFactory().Create(context));
        Assert.Contains("config.callback_url is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("config.timeout_seconds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adapter_uses_no_listener_and_reports_connected()
    {
        using var channel = new TestChannel();
        await using var adapter = channel.Create();
        Assert.False(adapter.UsesListener);
        await adapter.ConnectAsync(CancellationToken.None);
        Assert.Equal(1, channel.Status.ConnectedReports);
        Assert.Equal(TimeSpan.FromSeconds(10), adapter.Options.Timeout);
    }
}
