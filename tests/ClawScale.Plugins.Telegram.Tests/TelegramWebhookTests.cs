using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Telegram.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Telegram.Tests;

public class TelegramWebhookTests
{
    private static WebhookRequest Request(string body, string? secret, string headerName = "X-Telegram-Bot-Api-Secret-Token")
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
        if (secret is not null)
            headers[headerName] = secret;
        return new WebhookRequest { Method = "POST", Headers = headers, Body = Encoding.UTF8.GetBytes(body), ReceivedAt = DateTimeOffset.UnixEpoch };
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s3cr3t_Webhook-TokeX")]
    [InlineData("s3cr3t_Webhook-Token-and-more")]
    public async Task Missing_or_wrong_secret_is_rejected_with_401_and_nothing_returned(string? secret)
    {
        using var channel = new TestChannel();
        await using var adapter = channel.Create(mode: "webhook");
        var result = await adapter.HandleWebhookAsync(Request(Payloads.Read("private_text"), secret), CancellationToken.None);
        Assert.True(result.IsRejected);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Secret_is_checked_before_the_body_is_parsed()
    {
        using var channel = new TestChannel();
        await using var adapter = channel.Create(mode: "webhook");
        var result = await adapter.HandleWebhookAsync(Request("{not json", "wrong"), CancellationToken.None);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task Right_secret_accepts_the_message()
    {
        using var channel = new TestChannel();
        await using var adapter = channel.Create(mode: "webhook");
        var result = await adapter.HandleWebhookAsync(Request(Payloads.Read("group_mention"), TestChannel.Secret, "x-telegram-bot-api-secret-token"), CancellationToken.None);
        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        var message = Assert.Single(result.Messages);
        Assert.Equal("734012002", message.ProviderMessageId);
        Assert.True(message.AddressedToBot);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"update_id\":\"x\"}")]
    public async Task Malformed_json_is_rejected_with_400(string body)
    {
        using var channel = new TestChannel();
        await using var adapter = channel.Create(mode: "webhook");
        var result = await adapter.HandleWebhookAsync(Request(body, TestChannel.Secret), CancellationToken.None);
        Assert.True(result.IsRejected);
        Assert.Equal(400, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Unsupported_update_is_ignored_with_200_and_a_reason()
    {
        using var channel = new TestChannel();
        await using var adapter = channel.Create(mode: "webhook");
        var result = await adapter.HandleWebhookAsync(Request(Payloads.Read("edited_message"), TestChannel.Secret), CancellationToken.None);
        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Messages);
        Assert.Contains("edited_message", result.Reason, StringComparison.Ordinal);
    }
}
