using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Evolution.Tests.Fakes;
using ClawScale.Plugins.Evolution.Tests.Support;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Evolution.Tests;

/// <summary>Sending through a fake Evolution API server on 127.0.0.1: the documented request, and errors mapped to retry or dead letter.</summary>
public sealed class EvolutionSendTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private FakeEvolutionApi _evolution = null!;

    public async Task InitializeAsync() => _evolution = await FakeEvolutionApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _evolution.DisposeAsync();
        _channel.Dispose();
    }

    private static OutboundMessage Reply(string chat = "5511912345678@s.whatsapp.net", string text = "Abrimos das 9h às 13h.", string? replyTo = "3EB0F2A1C9D84E6B7A21") => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "turn:1:0",
        ExternalChatId = chat,
        Text = text,
        ReplyToPlatformMessageId = replyTo,
    };

    [Fact]
    public async Task A_direct_reply_is_sent_with_the_apikey_header_and_without_a_quote()
    {
        var result = await _channel.Create(_evolution.BaseUrl).SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.StartsWith("BAE594145F4C", result.ProviderMessageId);
        var call = Assert.Single(_evolution.Sends);
        Assert.Equal("clawbot", call.Instance);
        Assert.Equal(TestChannel.ApiKey, call.ApiKey);
        Assert.Equal("5511912345678@s.whatsapp.net", call.Field("number"));
        Assert.Equal("Abrimos das 9h às 13h.", call.Field("text"));
        Assert.Null(call.Field("quoted"));
    }

    [Fact]
    public async Task A_group_reply_quotes_the_message_it_answers()
    {
        var result = await _channel.Create(_evolution.BaseUrl).SendAsync(Reply(chat: "120363025246125486@g.us"), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var call = Assert.Single(_evolution.Sends);
        Assert.Equal("120363025246125486@g.us", call.Field("number"));
        Assert.Equal("3EB0F2A1C9D84E6B7A21", call.Field("quoted", "key", "id"));
    }

    [Theory]
    [InlineData(500, "Internal Server Error", "Connection Closed")]
    [InlineData(429, "Too Many Requests", "Too many requests")]
    public async Task Server_errors_and_rate_limits_are_retried(int status, string error, string message)
    {
        _evolution.FailNextSend(status, FakeEvolutionApi.Error(status, error, message), retryAfterSeconds: 4);
        var result = await _channel.Create(_evolution.BaseUrl).SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(4), result.RetryAfter);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_that_is_not_on_whatsapp_is_a_dead_letter_saying_so()
    {
        _evolution.FailNextSend(400, FakeEvolutionApi.Error(400, "Bad Request", new[] { new { exists = false, jid = "5511900000000@s.whatsapp.net", number = "5511900000000" } }));
        var result = await _channel.Create(_evolution.BaseUrl).SendAsync(Reply(chat: "5511900000000@s.whatsapp.net"), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("not on WhatsApp", result.Error, StringComparison.Ordinal);
        Assert.Empty(_channel.Status.Errors);
    }

    [Fact]
    public async Task A_wrong_key_or_instance_is_a_dead_letter_and_the_channel_error_says_what_to_fix()
    {
        var wrongKey = await _channel.Create(_evolution.BaseUrl, apiKey: "not-the-key").SendAsync(Reply(), default);
        Assert.Equal(SendOutcome.PermanentFailure, wrongKey.Outcome);
        Assert.Contains("credentials.api_key", wrongKey.Error, StringComparison.Ordinal);

        var wrongInstance = await _channel.Create(_evolution.BaseUrl, instance: "missing").SendAsync(Reply(), default);
        Assert.Equal(SendOutcome.PermanentFailure, wrongInstance.Outcome);
        Assert.Contains("The \"missing\" instance does not exist", wrongInstance.Error, StringComparison.Ordinal);
        Assert.Equal(2, _channel.Status.Errors.Count);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains("not-the-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_server_is_retried()
    {
        var result = await _channel.Create().SendAsync(Reply(), default);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
    }

    [Fact]
    public async Task Connect_reports_an_open_instance_connected_and_an_unpaired_one_as_an_error()
    {
        await _channel.Create(_evolution.BaseUrl).ConnectAsync(default);
        Assert.Equal(1, _channel.Status.ConnectedReports);

        _evolution.State = "close";
        await Assert.ThrowsAsync<InvalidOperationException>(() => _channel.Create(_evolution.BaseUrl).ConnectAsync(default).AsTask());
        Assert.Contains("QR code", Assert.Single(_channel.Status.Errors), StringComparison.Ordinal);
    }
}
