using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.WhatsApp.Tests.Fakes;
using ClawScale.Plugins.WhatsApp.Tests.Support;

namespace ClawScale.Plugins.WhatsApp.Tests;

/// <summary>
/// Sending through a fake Graph API on 127.0.0.1: the documented request shape, and the documented error codes
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes) mapped to retry or dead letter.
/// </summary>
public sealed class WhatsAppSendTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private FakeGraphApi _graph = null!;

    public async Task InitializeAsync() => _graph = await FakeGraphApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _graph.DisposeAsync();
        _channel.Dispose();
    }

    private static OutboundMessage Reply(string? text = "Yes, in blue and green.", string? replyTo = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=") => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "turn:1:0",
        ExternalChatId = "16505551234",
        Text = text,
        ReplyToPlatformMessageId = replyTo,
    };

    [Fact]
    public async Task A_reply_is_posted_as_a_documented_text_message_with_its_context()
    {
        var adapter = _channel.Create(_graph.BaseUrl);
        var result = await adapter.SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.StartsWith("wamid.", result.ProviderMessageId);
        var call = Assert.Single(_graph.Sends);
        Assert.Equal("v23.0", call.Version);
        Assert.Equal(TestChannel.PhoneNumberId, call.PhoneNumberId);
        Assert.Equal("Bearer EAAJB-test-access-token", call.Authorization);
        Assert.Equal("whatsapp", call.Field("messaging_product"));
        Assert.Equal("individual", call.Field("recipient_type"));
        Assert.Equal("16505551234", call.Field("to"));
        Assert.Equal("text", call.Field("type"));
        Assert.Equal("Yes, in blue and green.", call.Field("text", "body"));
        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", call.Field("context", "message_id"));
    }

    [Fact]
    public async Task A_text_over_4096_characters_is_split_and_only_the_first_part_quotes()
    {
        var text = string.Join("\n\n", Enumerable.Repeat(new string('a', 3000), 3));
        var result = await _channel.Create(_graph.BaseUrl).SendAsync(Reply(text), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal(3, _graph.Sends.Count);
        Assert.All(_graph.Sends, c => Assert.True(c.Field("text", "body")!.Length <= 4096));
        Assert.NotNull(_graph.Sends[0].Field("context", "message_id"));
        Assert.Null(_graph.Sends[1].Field("context", "message_id"));
    }

    [Theory]
    [InlineData(400, 130429, "(#130429) Rate limit hit")]
    [InlineData(400, 131048, "(#131048) Spam rate limit hit")]
    [InlineData(400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit")]
    [InlineData(400, 80007, "(#80007) Rate limit issues")]
    [InlineData(429, 4, "(#4) Application request limit reached")]
    [InlineData(500, 131000, "Something went wrong")]
    [InlineData(503, 131016, "Service unavailable")]
    public async Task Rate_limits_and_temporary_errors_are_retried(int status, int code, string message)
    {
        _graph.FailNextSend(status, FakeGraphApi.GraphError(code, message), retryAfterSeconds: 7);
        var result = await _channel.Create(_graph.BaseUrl).SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Contains($"code {code}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_closed_24_hour_window_is_a_dead_letter_that_says_what_happened()
    {
        _graph.FailNextSend(400, FakeGraphApi.GraphError(131047, "(#131047) Re-engagement message", subcode: 2494010,
            details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number."));
        var result = await _channel.Create(_graph.BaseUrl).SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("code 131047", result.Error, StringComparison.Ordinal);
        Assert.Contains("customer service window", result.Error, StringComparison.Ordinal);
        Assert.Contains("more than 24 hours have passed", result.Error, StringComparison.Ordinal);
        Assert.Empty(_channel.Status.Errors);
    }

    [Theory]
    [InlineData(131026, "Message undeliverable", "not on WhatsApp")]
    [InlineData(131030, "Recipient phone number not in allowed list", "allowed list")]
    [InlineData(100, "Invalid parameter", "retrying would not help")]
    public async Task Invalid_recipients_and_bad_requests_are_dead_letters(int code, string message, string hint)
    {
        _graph.FailNextSend(400, FakeGraphApi.GraphError(code, message));
        var result = await _channel.Create(_graph.BaseUrl).SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains(hint, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_access_token_is_a_dead_letter_and_the_channel_error_says_how_to_fix_it()
    {
        var result = await _channel.Create(_graph.BaseUrl, accessToken: "EAAJB-revoked").SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("code 190", result.Error, StringComparison.Ordinal);
        var error = Assert.Single(_channel.Status.Errors);
        Assert.Contains("credentials.access_token", error, StringComparison.Ordinal);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains("EAAJB-revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_answer_that_is_not_graph_json_is_described_by_its_status_only()
    {
        _graph.FailNextSend(502, "<html><body>upstream secret page</body></html>", "text/html");
        var retry = await _channel.Create(_graph.BaseUrl).SendAsync(Reply(), default);
        Assert.Equal(SendOutcome.Retry, retry.Outcome);
        Assert.DoesNotContain("upstream secret page", retry.Error, StringComparison.Ordinal);

        _graph.FailNextSend(404, "<html>not found</html>", "text/html");
        var dead = await _channel.Create(_graph.BaseUrl).SendAsync(Reply(), default);
        Assert.Equal(SendOutcome.PermanentFailure, dead.Outcome);
        Assert.Contains("HTTP 404", dead.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_graph_api_is_retried()
    {
        var result = await _channel.Create(new Uri("http://127.0.0.1:9")).SendAsync(Reply(), default);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
    }

    [Fact]
    public async Task Connect_reads_the_number_and_reports_connected_or_the_token_error()
    {
        await _channel.Create(_graph.BaseUrl).ConnectAsync(default);
        Assert.Equal(1, _channel.Status.ConnectedReports);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _channel.Create(_graph.BaseUrl, accessToken: "EAAJB-bad").ConnectAsync(default).AsTask());
        Assert.Contains("credentials.access_token", Assert.Single(_channel.Status.Errors), StringComparison.Ordinal);
    }
}
