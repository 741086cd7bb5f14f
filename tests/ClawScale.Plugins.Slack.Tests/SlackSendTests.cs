using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Slack.Tests.Fakes;
using ClawScale.Plugins.Slack.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ClawScale.Plugins.Slack.Tests;

public sealed class SlackSendTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private FakeSlackApi _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlackApi.StartAsync(TestChannel.BotToken, TestChannel.AppToken, TestChannel.BotUserId);

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _channel.Dispose();
    }

    private static OutboundMessage Reply(string text = "All green.", string chat = "C0GENERAL1", string? thread = "1735732900.000300") => new()
    {
        DeliveryId = "dl_1", IdempotencyKey = "idem_1", ExternalChatId = chat, ExternalThreadId = thread, Text = text,
    };

    [Fact]
    public async Task A_reply_goes_to_the_route_channel_and_thread_with_the_bot_token()
    {
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        var result = await adapter.SendAsync(Reply(), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var call = Assert.Single(_slack.CallsTo("chat.postMessage"));
        Assert.Equal("Bearer " + TestChannel.BotToken, call.Authorization);
        Assert.Equal("C0GENERAL1", call.Field("channel"));
        Assert.Equal("1735732900.000300", call.Field("thread_ts"));
        Assert.Equal("All green.", call.Field("text"));
        Assert.Matches(@"^\d+\.\d{6}$", result.ProviderMessageId);
    }

    [Fact]
    public async Task A_dm_reply_without_a_thread_sends_no_thread_ts()
    {
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        await adapter.SendAsync(Reply(chat: "D0DMCHAN01", thread: null), CancellationToken.None);

        var call = Assert.Single(_slack.CallsTo("chat.postMessage"));
        Assert.Equal("D0DMCHAN01", call.Field("channel"));
        Assert.False(call.Json!.Value.TryGetProperty("thread_ts", out _));
    }

    [Fact]
    public async Task A_429_is_a_retry_after_the_Retry_After_header()
    {
        _slack.FailNextPosts(1, 429, "ratelimited", retryAfterSeconds: 17);
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        var result = await adapter.SendAsync(Reply(), CancellationToken.None);

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(17), result.RetryAfter);
    }

    [Fact]
    public async Task A_bare_429_without_an_envelope_is_a_retry_after_the_header_too()
    {
        _slack.FailNextPosts(1, 429, error: null, retryAfterSeconds: 3);
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        var result = await adapter.SendAsync(Reply(), CancellationToken.None);

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(3), result.RetryAfter);
    }

    [Fact]
    public async Task An_error_body_that_is_not_a_slack_envelope_is_not_echoed()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(async http =>
        {
            http.Response.StatusCode = 403;
            http.Response.ContentType = "text/html";
            await http.Response.WriteAsync("<html>internal: db_password=hunter2-secret</html>");
        });
        await app.StartAsync();
        await using var adapter = _channel.Create(new Uri(app.Urls.First() + "/api/"));

        var result = await adapter.SendAsync(Reply(), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 403 Forbidden", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_channel.Logger.Lines, line => line.Contains("hunter2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(503, null)]
    [InlineData(200, "internal_error")]
    public async Task Server_errors_are_retried(int status, string? error)
    {
        _slack.FailNextPosts(1, status, error);
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        var result = await adapter.SendAsync(Reply(), CancellationToken.None);

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Null(result.RetryAfter);
    }

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("is_archived")]
    [InlineData("account_inactive")]
    public async Task Errors_retrying_cannot_fix_are_permanent(string error)
    {
        _slack.FailNextPosts(1, 200, error);
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        var result = await adapter.SendAsync(Reply(), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_bot_token_is_permanent_reported_and_never_logged()
    {
        await using var adapter = _channel.Create(_slack.ApiBaseUrl, botToken: "xoxb-revoked-token-value");
        var result = await adapter.SendAsync(Reply(), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("credentials.bot_token", Assert.Single(_channel.Status.Errors), StringComparison.Ordinal);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains("xoxb-revoked-token-value", StringComparison.Ordinal) || l.Contains(TestChannel.BotToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_over_40000_characters_is_split_into_several_posts_in_order()
    {
        var text = new string('a', 40_000) + " " + new string('b', 10);
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        var result = await adapter.SendAsync(Reply(text), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var calls = _slack.CallsTo("chat.postMessage");
        Assert.Equal(2, calls.Count);
        Assert.Equal(40_000, calls[0].Field("text")!.Length);
        Assert.Equal(new string('b', 10), calls[1].Field("text"));
        Assert.All(calls, c => Assert.Equal("1735732900.000300", c.Field("thread_ts")));
    }

    [Fact]
    public async Task An_image_is_sent_as_an_image_block()
    {
        await using var adapter = _channel.Create(_slack.ApiBaseUrl);
        var result = await adapter.SendAsync(Reply() with
        {
            Text = null,
            Attachments = [new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://files.example.com/chart.png", FileName = "chart.png" }],
        }, CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var block = Assert.Single(Assert.Single(_slack.CallsTo("chat.postMessage")).Json!.Value.GetProperty("blocks").EnumerateArray());
        Assert.Equal("image", block.GetProperty("type").GetString());
        Assert.Equal("https://files.example.com/chart.png", block.GetProperty("image_url").GetString());
    }

    [Fact]
    public async Task Connect_learns_the_bot_user_id_with_auth_test()
    {
        await using var adapter = _channel.Create(_slack.ApiBaseUrl, botUserId: null);
        Assert.Null(adapter.BotUserId);
        await adapter.ConnectAsync(CancellationToken.None);

        Assert.Equal(TestChannel.BotUserId, adapter.BotUserId);
        Assert.Equal(1, _channel.Status.ConnectedReports);
    }

    [Fact]
    public async Task Connect_with_a_rejected_token_reports_what_to_do_and_throws()
    {
        await using var adapter = _channel.Create(_slack.ApiBaseUrl, botToken: "xoxb-wrong");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => adapter.ConnectAsync(CancellationToken.None).AsTask());

        Assert.Contains("invalid_auth", ex.Message, StringComparison.Ordinal);
        Assert.Contains("credentials.bot_token", Assert.Single(_channel.Status.Errors), StringComparison.Ordinal);
    }
}
