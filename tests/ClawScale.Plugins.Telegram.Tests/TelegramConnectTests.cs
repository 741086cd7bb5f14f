using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Plugins.Telegram.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Telegram.Tests;

public sealed class TelegramConnectTests : IAsyncLifetime
{
    private static readonly Uri PublicUrl = new("https://claw.example.com/webhooks/ch_test");
    private readonly TestChannel _channel = new();
    private FakeTelegramBotApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeTelegramBotApi.StartAsync(TestChannel.Token);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _channel.Dispose();
    }

    [Fact]
    public async Task Webhook_mode_sets_the_webhook_with_the_secret_token_and_learns_the_username()
    {
        await using var adapter = _channel.Create(_api.BaseUrl, mode: "webhook", publicWebhookUrl: PublicUrl, botUsername: null);
        Assert.False(adapter.UsesListener);

        await adapter.ConnectAsync(CancellationToken.None);

        var call = Assert.Single(_api.CallsTo("setWebhook"));
        var json = call.Json!.Value;
        Assert.Equal(PublicUrl.AbsoluteUri, json.GetProperty("url").GetString());
        Assert.Equal(TestChannel.Secret, json.GetProperty("secret_token").GetString());
        Assert.Equal("message", Assert.Single(json.GetProperty("allowed_updates").EnumerateArray()).GetString());
        Assert.False(DropsPendingUpdates(json));
        Assert.Equal(TestChannel.Secret, _api.WebhookSecretToken);
        Assert.Equal("yourbot", adapter.Bot.Username);
        Assert.Equal(1, _channel.Status.ConnectedReports);
        Assert.True(Support.Payloads.Update("group_mention") is var u && TelegramMapper.TryMapUpdate(u, adapter.Bot, out _)!.AddressedToBot);

        await adapter.DisconnectAsync(CancellationToken.None);
        Assert.Single(_api.CallsTo("deleteWebhook"));
        Assert.Null(_api.WebhookUrl);
    }

    /// <summary>drop_pending_updates as Telegram reads it: absent means false (Bot API "setWebhook", "deleteWebhook").</summary>
    private static bool DropsPendingUpdates(System.Text.Json.JsonElement body) =>
        body.TryGetProperty("drop_pending_updates", out var drop) && drop.GetBoolean();

    [Fact]
    public async Task Polling_mode_deletes_the_webhook()
    {
        await using var adapter = _channel.Create(_api.BaseUrl, mode: "polling");
        Assert.True(adapter.UsesListener);
        await adapter.ConnectAsync(CancellationToken.None);
        var call = Assert.Single(_api.CallsTo("deleteWebhook"));
        Assert.False(DropsPendingUpdates(call.Json!.Value));
        Assert.Empty(_api.CallsTo("setWebhook"));
    }

    [Theory]
    [InlineData("has+plus/and=equals")]
    [InlineData("")]
    public async Task Webhook_secret_that_Telegram_cannot_take_fails_clearly(string secret)
    {
        await using var adapter = _channel.Create(_api.BaseUrl, mode: "webhook", publicWebhookUrl: PublicUrl, secret: secret);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await adapter.ConnectAsync(CancellationToken.None));
        Assert.Contains("secret_token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("A-Z a-z 0-9 _ -", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_api.CallsTo("setWebhook"));
        Assert.Single(_channel.Status.Errors);
    }

    [Fact]
    public async Task Webhook_mode_without_a_public_url_fails_clearly()
    {
        await using var adapter = _channel.Create(_api.BaseUrl, mode: "webhook");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await adapter.ConnectAsync(CancellationToken.None));
        Assert.Contains("PublicBaseUrl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_token_fails_connect_and_is_reported()
    {
        await using var adapter = _channel.Create(_api.BaseUrl, token: "7000000001:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await adapter.ConnectAsync(CancellationToken.None));
        Assert.Contains(_channel.Status.Errors, e => e.Contains("rejected the bot token", StringComparison.Ordinal));
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains("BBBBBBBBBB", StringComparison.Ordinal));
    }
}
