using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Plugins.Telegram.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Telegram.Tests;

public sealed class TelegramSendTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private FakeTelegramBotApi _api = null!;
    private TelegramChannelAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeTelegramBotApi.StartAsync(TestChannel.Token);
        _adapter = _channel.Create(_api.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await _adapter.DisposeAsync();
        await _api.DisposeAsync();
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(TestChannel.Token.Split(':')[1], StringComparison.Ordinal));
        _channel.Dispose();
    }

    private static OutboundMessage Message(string? text, string chat = "111111111", string? thread = null, string? replyTo = null, params MessageAttachment[] attachments) =>
        new() { DeliveryId = "dl_1", IdempotencyKey = "idem_1", ExternalChatId = chat, ExternalThreadId = thread, Text = text, ReplyToPlatformMessageId = replyTo, Attachments = attachments };

    [Fact]
    public async Task Text_reply_goes_to_the_chat_and_quotes_the_user_message()
    {
        var result = await _adapter.SendAsync(Message("Here is your summary.", replyTo: "1365"), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var call = Assert.Single(_api.CallsTo("sendMessage"));
        Assert.Equal(TestChannel.Token, call.Token);
        var json = call.Json!.Value;
        Assert.Equal(JsonValueKind.Number, json.GetProperty("chat_id").ValueKind);
        Assert.Equal(111111111, json.GetProperty("chat_id").GetInt64());
        Assert.Equal("Here is your summary.", json.GetProperty("text").GetString());
        Assert.Equal(1365, json.GetProperty("reply_parameters").GetProperty("message_id").GetInt64());
        Assert.True(json.GetProperty("reply_parameters").GetProperty("allow_sending_without_reply").GetBoolean());
        Assert.False(json.TryGetProperty("message_thread_id", out _));
        Assert.Equal("5001", result.ProviderMessageId);
    }

    [Fact]
    public async Task Forum_topic_route_sets_message_thread_id()
    {
        var result = await _adapter.SendAsync(Message("On it.", chat: "-1002233445566", thread: "42", replyTo: "57"), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var json = Assert.Single(_api.CallsTo("sendMessage")).Json!.Value;
        Assert.Equal(-1002233445566, json.GetProperty("chat_id").GetInt64());
        Assert.Equal(42, json.GetProperty("message_thread_id").GetInt64());
        Assert.Equal(57, json.GetProperty("reply_parameters").GetProperty("message_id").GetInt64());
    }

    [Fact]
    public async Task Long_text_is_split_into_several_messages_and_the_last_id_is_reported()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("word", 700)); // 3499 chars
        var text = string.Join("\n\n", paragraph, paragraph, paragraph);

        var result = await _adapter.SendAsync(Message(text, replyTo: "1365"), CancellationToken.None);

        var calls = _api.CallsTo("sendMessage");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.True(c.Json!.Value.GetProperty("text").GetString()!.Length <= 4096));
        Assert.All(calls, c => Assert.Equal(paragraph, c.Json!.Value.GetProperty("text").GetString()));
        Assert.True(calls[0].Json!.Value.TryGetProperty("reply_parameters", out _));
        Assert.False(calls[1].Json!.Value.TryGetProperty("reply_parameters", out _));
        Assert.False(calls[2].Json!.Value.TryGetProperty("reply_parameters", out _));
        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal("5003", result.ProviderMessageId);
    }

    [Fact]
    public async Task Flood_control_429_is_a_retry_after_retry_after_seconds()
    {
        _api.FailNextSends(1, 429, "Too Many Requests: retry after 7", retryAfter: 7);
        var result = await _adapter.SendAsync(Message("hi"), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Contains("Too Many Requests", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_500_is_a_retry_with_the_kernel_backoff()
    {
        _api.FailNextSends(1, 500, "Internal Server Error");
        var result = await _adapter.SendAsync(Message("hi"), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Null(result.RetryAfter);
    }

    [Fact]
    public async Task Network_failure_is_a_retry()
    {
        var baseUrl = _api.BaseUrl;
        await _api.DisposeAsync();
        await using var adapter = _channel.Create(baseUrl);
        var result = await adapter.SendAsync(Message("hi"), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.DoesNotContain(TestChannel.Token, result.Error, StringComparison.Ordinal);
        _api = await FakeTelegramBotApi.StartAsync(TestChannel.Token);
    }

    [Theory]
    [InlineData("network")]
    [InlineData("url-in-error")]
    [InlineData("401")]
    [InlineData("500")]
    [InlineData("429")]
    public async Task The_bot_token_appears_in_no_log_line_result_or_status_error_of_a_failing_call(string failure)
    {
        var token = "7000000001:AAHtokenThatMustNeverLeak_0123456789";
        using var channel = failure == "url-in-error" ? new TestChannel(new Support.UrlLeakingHandler()) : new TestChannel();
        await using var api = await FakeTelegramBotApi.StartAsync(failure == "401" ? TestChannel.Token : token);
        var baseUrl = api.BaseUrl;
        if (failure == "network")
            await api.DisposeAsync();
        else if (failure is "500" or "429")
            api.FailAllSends(int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture), "scripted failure", retryAfter: failure == "429" ? 3 : null);
        await using var adapter = channel.Create(baseUrl, token: token);

        var sent = await adapter.SendAsync(Message("hi"), CancellationToken.None);
        var connectError = string.Empty;
        try
        {
            await adapter.ConnectAsync(CancellationToken.None); // fails too, except where only sends are scripted to fail
        }
        catch (InvalidOperationException ex)
        {
            connectError = ex.ToString();
        }

        Assert.NotEqual(SendOutcome.Delivered, sent.Outcome);
        Assert.Equal(failure is "500" or "429", connectError.Length == 0);
        Assert.NotEmpty(channel.Logger.Lines);
        var secret = token.Split(':')[1];
        var texts = channel.Logger.Lines.Append(sent.Error ?? string.Empty).Append(connectError).Concat(channel.Status.Errors).ToList();
        Assert.All(texts, t => Assert.DoesNotContain(secret, t, StringComparison.Ordinal));
        if (failure == "url-in-error")
            Assert.Contains("/bot<token>/sendMessage", sent.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocked_by_the_user_403_is_permanent_and_explained()
    {
        _api.FailNextSends(1, 403, "Forbidden: bot was blocked by the user");
        var result = await _adapter.SendAsync(Message("hi"), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("bot was blocked by the user", result.Error, StringComparison.Ordinal);
        Assert.Contains("unblock", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_upgraded_to_supergroup_is_permanent_and_names_the_new_chat()
    {
        _api.FailNextSends(1, 400, "Bad Request: group chat was upgraded to a supergroup chat", migrateToChatId: -1001122334455);
        var result = await _adapter.SendAsync(Message("hi", chat: "-4455"), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("-1001122334455", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_in_the_middle_of_a_split_text_stops_the_send()
    {
        var text = string.Join("\n\n", new string('a', 4000), new string('b', 4000));
        _api.SucceedNextSends(1);
        _api.FailNextSends(1, 429, "Too Many Requests: retry after 3", retryAfter: 3);
        var result = await _adapter.SendAsync(Message(text), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(2, _api.CallsTo("sendMessage").Count);
    }

    [Fact]
    public async Task Photo_by_url_goes_to_sendPhoto_with_the_text_as_caption()
    {
        var photo = new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://example.com/chart.png" };
        var result = await _adapter.SendAsync(Message("Your chart", thread: "42", replyTo: "57", attachments: photo), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Empty(_api.CallsTo("sendMessage"));
        var call = Assert.Single(_api.CallsTo("sendPhoto"));
        Assert.Equal("111111111", call.Parameter("chat_id"));
        Assert.Equal("https://example.com/chart.png", call.Parameter("photo"));
        Assert.Equal("Your chart", call.Parameter("caption"));
        Assert.Equal("42", call.Parameter("message_thread_id"));
        using var reply = JsonDocument.Parse(call.Parameter("reply_parameters")!);
        Assert.Equal(57, reply.RootElement.GetProperty("message_id").GetInt64());
    }

    [Fact]
    public async Task Inline_document_is_uploaded_as_multipart_and_file_ids_are_resent_by_id()
    {
        var bytes = "%PDF-1.7 fake"u8.ToArray();
        var upload = new MessageAttachment { Kind = AttachmentKind.Document, Data = bytes, FileName = "invoice.pdf", MimeType = "application/pdf" };
        var byId = new MessageAttachment { Kind = AttachmentKind.Document, ProviderFileId = "BQACAgIAAxkBAAIBaGReport" };

        var result = await _adapter.SendAsync(Message(null, attachments: [upload, byId]), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var calls = _api.CallsTo("sendDocument");
        Assert.Equal(2, calls.Count);
        var file = Assert.Single(calls[0].Files);
        Assert.Equal("document", file.FieldName);
        Assert.Equal("invoice.pdf", file.FileName);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal(bytes, file.Content);
        Assert.Empty(calls[1].Files);
        Assert.Equal("BQACAgIAAxkBAAIBaGReport", calls[1].Parameter("document"));
        Assert.Equal("5002", result.ProviderMessageId);
    }

    [Fact]
    public async Task Wrong_token_is_permanent_and_reported()
    {
        await using var adapter = _channel.Create(_api.BaseUrl, token: "7000000001:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var result = await adapter.SendAsync(Message("hi"), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains(_channel.Status.Errors, e => e.Contains("bot token rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Non_numeric_thread_is_permanent_without_calling_telegram()
    {
        var result = await _adapter.SendAsync(Message("hi", thread: "topic-a"), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Empty(_api.Calls);
    }
}
