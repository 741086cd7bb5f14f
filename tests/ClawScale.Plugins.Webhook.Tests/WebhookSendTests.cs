using System.Globalization;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Webhook.Tests.Fakes;
using ClawScale.Plugins.Webhook.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Webhook.Tests;

public sealed class WebhookSendTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private FakeCallbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await FakeCallbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(TestChannel.Secret, StringComparison.Ordinal) || l.Contains(TestChannel.CallbackSecret, StringComparison.Ordinal));
        _channel.Dispose();
    }

    private static OutboundMessage Message(string? text = "Your order shipped.", params MessageAttachment[] attachments) => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "idem_1",
        ExternalChatId = "ticket-4711",
        ExternalThreadId = "thread-3",
        Text = text,
        ReplyToPlatformMessageId = "msg-20250101-0001",
        Attachments = attachments,
    };

    [Fact]
    public async Task Posts_the_documented_body_and_headers_and_reports_the_message_id()
    {
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message("Your order shipped.",
            new MessageAttachment { Kind = AttachmentKind.Document, Url = "https://files.example.com/invoice.pdf", FileName = "invoice.pdf", MimeType = "application/pdf" },
            new MessageAttachment { Kind = AttachmentKind.Image, Data = new byte[] { 1, 2, 3 }, SizeBytes = 3 }), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal("cb-1", result.ProviderMessageId);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("idem_1", request.Headers["Idempotency-Key"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(_channel.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Headers["X-ClawScale-Timestamp"]);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("dl_1", root.GetProperty("delivery_id").GetString());
        Assert.Equal("idem_1", root.GetProperty("idempotency_key").GetString());
        Assert.Equal("ticket-4711", root.GetProperty("chat_id").GetString());
        Assert.Equal("thread-3", root.GetProperty("thread_id").GetString());
        Assert.Equal("Your order shipped.", root.GetProperty("text").GetString());
        Assert.Equal("msg-20250101-0001", root.GetProperty("reply_to").GetString());
        var attachments = root.GetProperty("attachments");
        Assert.Equal(2, attachments.GetArrayLength());
        Assert.Equal("document", attachments[0].GetProperty("kind").GetString());
        Assert.Equal("https://files.example.com/invoice.pdf", attachments[0].GetProperty("url").GetString());
        Assert.Equal("invoice.pdf", attachments[0].GetProperty("file_name").GetString());
        Assert.Equal("application/pdf", attachments[0].GetProperty("mime_type").GetString());
        Assert.False(attachments[0].TryGetProperty("data_base64", out _));
        Assert.Equal("image", attachments[1].GetProperty("kind").GetString());
        Assert.Equal("AQID", attachments[1].GetProperty("data_base64").GetString());
        Assert.Equal(3, attachments[1].GetProperty("size_bytes").GetInt64());
    }

    [Fact]
    public async Task Unset_keys_are_null_not_missing()
    {
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var message = Message() with { ExternalThreadId = null, ReplyToPlatformMessageId = null };
        await adapter.SendAsync(message, CancellationToken.None);
        using var json = JsonDocument.Parse(Assert.Single(_receiver.Requests).Body);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("thread_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("reply_to").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("attachments").GetArrayLength());
    }

    [Fact]
    public async Task Callback_signature_verifies_with_the_webhook_secret()
    {
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        await adapter.SendAsync(Message(), CancellationToken.None);

        var request = Assert.Single(_receiver.Requests);
        var expected = "v1=" + TestSignature.Hex(TestChannel.Secret, request.Headers["X-ClawScale-Timestamp"], request.Body);
        Assert.Equal(expected, request.Headers["X-ClawScale-Signature"]);
        Assert.True(WebhookSignature.Verify(request.Headers, request.Body, TestChannel.Secret, _channel.Time.GetUtcNow(), TimeSpan.FromMinutes(5), out _));
    }

    [Fact]
    public async Task Callback_secret_credential_signs_instead_of_the_webhook_secret()
    {
        await using var adapter = _channel.Create(_receiver.CallbackUrl, callbackSecret: TestChannel.CallbackSecret);
        await adapter.SendAsync(Message(), CancellationToken.None);

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("v1=" + TestSignature.Hex(TestChannel.CallbackSecret, request.Headers["X-ClawScale-Timestamp"], request.Body), request.Headers["X-ClawScale-Signature"]);
        Assert.False(WebhookSignature.Verify(request.Headers, request.Body, TestChannel.Secret, _channel.Time.GetUtcNow(), TimeSpan.FromMinutes(5), out _));
    }

    [Fact]
    public async Task Numeric_message_id_in_the_answer_is_kept()
    {
        _receiver.Enqueue(201, "{\"message_id\": 98765, \"other\": true}");
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal("98765", result.ProviderMessageId);
    }

    [Fact]
    public async Task Empty_2xx_answer_is_delivered_without_an_id()
    {
        _receiver.Enqueue(204);
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Null(result.ProviderMessageId);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Retry_after_in_seconds_is_honoured(int status)
    {
        _receiver.Enqueue(status, "slow down", retryAfter: "7");
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_measured_from_the_channel_clock()
    {
        var at = _channel.Time.GetUtcNow().AddSeconds(90);
        _receiver.Enqueue(429, retryAfter: at.ToString("r", CultureInfo.InvariantCulture));
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
    }

    [Fact]
    public async Task Server_error_is_retried_with_the_kernel_backoff()
    {
        _receiver.Enqueue(500, "boom");
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Null(result.RetryAfter);
        Assert.Equal("callback_url answered HTTP 500 Internal Server Error", result.Error);
    }

    [Fact]
    public async Task Client_error_is_permanent_with_the_status_and_reason_but_not_the_body()
    {
        _receiver.Enqueue(400, "{\"error\":\"unknown chat_id ticket-4711\",\"debug\":\"db_password=hunter2-secret\"}");
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Equal("callback_url answered HTTP 400 Bad Request", result.Error);
        Assert.DoesNotContain(_channel.Logger.Lines, line => line.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_retried()
    {
        _receiver.EnqueueHang();
        await using var adapter = _channel.Create(_receiver.CallbackUrl, timeoutSeconds: 10);
        var send = adapter.SendAsync(Message(), CancellationToken.None).AsTask();

        await TestChannel.WaitUntilAsync(() => _receiver.Requests.Count == 1, "the callback request to arrive");
        Assert.False(send.IsCompleted);
        _channel.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(send.IsCompleted);
        _channel.Time.Advance(TimeSpan.FromSeconds(1));
        var result = await send.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Contains("no answer within 10 s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_callback_is_retried()
    {
        var url = _receiver.CallbackUrl;
        await _receiver.DisposeAsync();
        _receiver = await FakeCallbackReceiver.StartAsync();
        await using var adapter = _channel.Create(url);
        var result = await adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.StartsWith("callback_url unreachable", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_throws()
    {
        _receiver.EnqueueHang();
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        using var cts = new CancellationTokenSource();
        var send = adapter.SendAsync(Message(), cts.Token).AsTask();
        await TestChannel.WaitUntilAsync(() => _receiver.Requests.Count == 1, "the callback request to arrive");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    [Fact]
    public async Task Message_without_text_or_attachments_fails_permanently_without_a_call()
    {
        await using var adapter = _channel.Create(_receiver.CallbackUrl);
        var result = await adapter.SendAsync(Message(text: null), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Empty(_receiver.Requests);
    }
}
