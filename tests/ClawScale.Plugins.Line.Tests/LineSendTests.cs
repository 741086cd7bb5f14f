using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Line.Tests.Fakes;
using ClawScale.Plugins.Line.Tests.Support;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Line.Tests;

/// <summary>
/// Sending through a fake Messaging API on 127.0.0.1: reply while the token is fresh (on the channel's clock), push
/// with X-Line-Retry-Key otherwise, 409 on a repeated key counted as delivered, and the documented status codes.
/// </summary>
public sealed class LineSendTests : IAsyncLifetime
{
    private const string ReplyToken = "757913772c4646b784d4b7ce46d12671";
    private readonly TestChannel _channel = new();
    private FakeLineApi _line = null!;

    public async Task InitializeAsync() => _line = await FakeLineApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _line.DisposeAsync();
        _channel.Dispose();
    }

    private OutboundMessage Reply(string text = "echo: Hello, world", int attempt = 1, string? replyTo = "14353798921116", TimeSpan? tokenLeft = null) => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "turn:0195f0b1:0",
        ExternalChatId = "U80696558e1aa831a0b2c3d4e5f6a7b8c",
        Text = text,
        ReplyToPlatformMessageId = replyTo,
        Attempt = attempt,
        Properties = new Dictionary<string, string>
        {
            [LineMapper.ReplyTokenProperty] = ReplyToken,
            [LineMapper.ReplyTokenExpiresProperty] = (_channel.Time.GetUtcNow() + (tokenLeft ?? TimeSpan.FromSeconds(50))).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    [Fact]
    public async Task A_first_reply_within_the_window_uses_the_reply_api_with_the_token()
    {
        _line.IssueReplyToken(ReplyToken);
        var result = await _channel.Create(_line.BaseUrl).SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var call = Assert.Single(_line.Calls);
        Assert.Equal("reply", call.Api);
        Assert.Equal(ReplyToken, call.Field("replyToken"));
        Assert.Equal(["echo: Hello, world"], call.Texts);
        Assert.Equal("Bearer line-test-channel-access-token", call.Authorization);
        Assert.Null(call.RetryKey);
    }

    [Fact]
    public async Task After_the_window_on_the_channel_clock_the_answer_is_pushed_with_a_retry_key()
    {
        _line.IssueReplyToken(ReplyToken);
        var message = Reply();
        _channel.Time.Advance(TimeSpan.FromSeconds(51));
        var result = await _channel.Create(_line.BaseUrl).SendAsync(message, default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var call = Assert.Single(_line.Calls);
        Assert.Equal("push", call.Api);
        Assert.Equal("U80696558e1aa831a0b2c3d4e5f6a7b8c", call.Field("to"));
        Assert.Equal(LineMapper.RetryKey("ch_line", "turn:0195f0b1:0", 0).ToString("D"), call.RetryKey);
        Assert.True(Guid.TryParse(call.RetryKey, out _));
    }

    [Fact]
    public async Task A_refused_reply_token_falls_back_to_push_in_the_same_attempt()
    {
        // The fake knows no such token: 400 {"message":"Invalid reply token"}.
        var result = await _channel.Create(_line.BaseUrl).SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal(["reply", "push"], _line.Calls.Select(c => c.Api));
    }

    [Fact]
    public async Task A_retried_delivery_pushes_and_a_repeat_of_an_accepted_retry_key_counts_as_delivered()
    {
        var adapter = _channel.Create(_line.BaseUrl);
        var first = await adapter.SendAsync(Reply(attempt: 2), default);
        var again = await adapter.SendAsync(Reply(attempt: 3), default);

        Assert.Equal(SendOutcome.Delivered, first.Outcome);
        Assert.Equal(SendOutcome.Delivered, again.Outcome);
        var pushes = _line.CallsTo("push");
        Assert.Equal(2, pushes.Count);
        Assert.Equal(pushes[0].RetryKey, pushes[1].RetryKey);
        Assert.Empty(_line.CallsTo("reply"));
    }

    [Fact]
    public async Task Later_replies_of_a_turn_are_pushed_and_long_texts_are_split_into_5000_character_messages()
    {
        _line.IssueReplyToken(ReplyToken);
        var text = string.Join("\n\n", Enumerable.Repeat(new string('x', 4000), 7));
        var result = await _channel.Create(_line.BaseUrl).SendAsync(Reply(text, replyTo: null), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal(["push", "push"], _line.Calls.Select(c => c.Api));
        Assert.Equal(5, _line.Calls[0].Texts.Count);
        Assert.Equal(2, _line.Calls[1].Texts.Count);
        Assert.All(_line.Calls.SelectMany(c => c.Texts), t => Assert.True(t.Length <= 5000));
        Assert.NotEqual(_line.Calls[0].RetryKey, _line.Calls[1].RetryKey);
    }

    [Fact]
    public async Task The_first_reply_in_a_group_quotes_the_users_message_and_later_attempts_push_it_quoted_too()
    {
        _line.IssueReplyToken(ReplyToken);
        var group = Reply() with
        {
            ExternalChatId = "Ca56f94637c0a1b2c3d4e5f6a7b8c9d0e",
            Properties = new Dictionary<string, string>(Reply().Properties) { [LineMapper.QuoteTokenProperty] = "q3Plxr4AgKd..." },
        };
        Assert.Equal(SendOutcome.Delivered, (await _channel.Create(_line.BaseUrl).SendAsync(group, default)).Outcome);
        Assert.Equal(SendOutcome.Delivered, (await _channel.Create(_line.BaseUrl).SendAsync(group with { Attempt = 2 }, default)).Outcome);
        Assert.Equal(SendOutcome.Delivered, (await _channel.Create(_line.BaseUrl).SendAsync(group with { ReplyToPlatformMessageId = null, IdempotencyKey = "turn:0195f0b1:1" }, default)).Outcome);

        Assert.Equal(["reply", "push", "push"], _line.Calls.Select(c => c.Api));
        Assert.Equal("q3Plxr4AgKd...", _line.Calls[0].Json!.Value.GetProperty("messages")[0].GetProperty("quoteToken").GetString());
        Assert.Equal("q3Plxr4AgKd...", _line.Calls[1].Json!.Value.GetProperty("messages")[0].GetProperty("quoteToken").GetString());
        // A later reply of the same turn (not the first) does not quote again.
        Assert.False(_line.Calls[2].Json!.Value.GetProperty("messages")[0].TryGetProperty("quoteToken", out _));
    }

    [Fact]
    public async Task A_429_is_retried_after_retry_after_but_the_monthly_limit_is_a_dead_letter()
    {
        _line.FailNextPush(429, FakeLineApi.Error("The API rate limit has been exceeded. Try again later."), retryAfterSeconds: 3);
        var limited = await _channel.Create(_line.BaseUrl).SendAsync(Reply(attempt: 2), default);
        Assert.Equal(SendOutcome.Retry, limited.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(3), limited.RetryAfter);
        Assert.Contains("rate limit", limited.Error, StringComparison.Ordinal);

        _line.FailNextPush(429, FakeLineApi.Error("You have reached your monthly limit."));
        var quota = await _channel.Create(_line.BaseUrl).SendAsync(Reply(attempt: 2) with { IdempotencyKey = "turn:other:0" }, default);
        Assert.Equal(SendOutcome.PermanentFailure, quota.Outcome);
        Assert.Contains("monthly", quota.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_400_quotes_lines_documented_message_and_details_and_is_a_dead_letter()
    {
        _line.FailNextPush(400, FakeLineApi.Error("The request body has 1 error(s)", ("May not be empty", "messages[0].text")));
        var result = await _channel.Create(_line.BaseUrl).SendAsync(Reply(attempt: 2), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("The request body has 1 error(s) (messages[0].text: May not be empty)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_500_or_an_unreachable_api_is_retried()
    {
        _line.FailNextPush(500, "{\"message\":\"Internal server error\"}");
        Assert.Equal(SendOutcome.Retry, (await _channel.Create(_line.BaseUrl).SendAsync(Reply(attempt: 2), default)).Outcome);
        Assert.Equal(SendOutcome.Retry, (await _channel.Create(new Uri("http://127.0.0.1:9")).SendAsync(Reply(attempt: 2), default)).Outcome);
    }

    [Fact]
    public async Task A_rejected_token_is_a_dead_letter_and_the_channel_error_says_how_to_fix_it()
    {
        var result = await _channel.Create(_line.BaseUrl, accessToken: "revoked-token").SendAsync(Reply(attempt: 2), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 401", result.Error, StringComparison.Ordinal);
        Assert.Contains("credentials.channel_access_token", Assert.Single(_channel.Status.Errors), StringComparison.Ordinal);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains("revoked-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_reads_the_bot_info()
    {
        var adapter = _channel.Create(_line.BaseUrl);
        await adapter.ConnectAsync(default);

        Assert.Equal(_line.BotUserId, adapter.BotUserId);
        Assert.Equal(1, _channel.Status.ConnectedReports);
    }
}
