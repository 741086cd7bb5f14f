using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Discord.Tests.Fakes;
using ClawScale.Plugins.Discord.Tests.Support;
using ClawScale.Plugins.Messages;
using Xunit;

namespace ClawScale.Plugins.Discord.Tests;

public sealed class DiscordSendTests : IAsyncLifetime
{
    private const string Channel = "1323456789012340001";
    private readonly TestChannel _channel = new();
    private FakeDiscordRest _rest = null!;
    private DiscordChannelAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _rest = await FakeDiscordRest.StartAsync(TestChannel.Token);
        _adapter = _channel.Create(_rest.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await _adapter.DisposeAsync();
        await _rest.DisposeAsync();
        _channel.Dispose();
    }

    private static OutboundMessage Message(string text = "hi", string? replyTo = null, string chat = Channel, string key = "idem_1") =>
        new() { DeliveryId = "dl_" + key, IdempotencyKey = key, ExternalChatId = chat, Text = text, ReplyToPlatformMessageId = replyTo };

    [Fact]
    public async Task A_reply_quotes_the_user_message_with_a_nonce_and_without_pinging()
    {
        var result = await _adapter.SendAsync(Message("Hello!", replyTo: "1323456789012345001"), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var call = Assert.Single(_rest.CallsTo("POST", $"/channels/{Channel}/messages"));
        Assert.Equal("Bot " + TestChannel.Token, call.Authorization);
        var body = call.Json!.Value;
        Assert.Equal("Hello!", body.GetProperty("content").GetString());
        Assert.Equal("1323456789012345001", body.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.False(body.GetProperty("message_reference").GetProperty("fail_if_not_exists").GetBoolean());
        Assert.Equal(DiscordMapper.Nonce("idem_1", 0), body.GetProperty("nonce").GetString());
        Assert.True(body.GetProperty("enforce_nonce").GetBoolean());
        Assert.Equal(0, body.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.NotNull(result.ProviderMessageId);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(TestChannel.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Long_text_is_split_at_2000_characters_and_only_the_first_part_replies()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 6).Select(i => new string((char)('a' + i), 900)));

        var result = await _adapter.SendAsync(Message(text, replyTo: "1323456789012345001"), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var calls = _rest.CallsTo("POST", $"/channels/{Channel}/messages");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.InRange(c.Json!.Value.GetProperty("content").GetString()!.Length, 1, 2000));
        Assert.True(calls[0].Json!.Value.TryGetProperty("message_reference", out _));
        Assert.False(calls[1].Json!.Value.TryGetProperty("message_reference", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_429_is_a_retry_after_retry_after_and_blocks_the_route_or_everything_when_global(bool global)
    {
        _rest.Script(FakeDiscordRest.TooManyRequests(1.5, global));

        var result = await _adapter.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(1.5), result.RetryAfter);
        var other = await _adapter.SendAsync(Message(chat: "1323456789012340099", key: "idem_2"), CancellationToken.None);
        Assert.Equal(global ? SendOutcome.Retry : SendOutcome.Delivered, other.Outcome);
        var again = await _adapter.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, again.Outcome);
        Assert.Single(_rest.CallsTo("POST", $"/channels/{Channel}/messages"));

        _channel.Time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(SendOutcome.Delivered, (await _adapter.SendAsync(Message(), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task An_exhausted_bucket_delivers_then_holds_the_next_send_until_the_reset()
    {
        _rest.Script(FakeDiscordRest.SuccessExhaustingBucket(2.5));

        Assert.Equal(SendOutcome.Delivered, (await _adapter.SendAsync(Message(), CancellationToken.None)).Outcome);
        var held = await _adapter.SendAsync(Message(key: "idem_2"), CancellationToken.None);

        Assert.Equal(SendOutcome.Retry, held.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2.5), held.RetryAfter);
        Assert.Single(_rest.Calls);
        _channel.Time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(SendOutcome.Delivered, (await _adapter.SendAsync(Message(key: "idem_2"), CancellationToken.None)).Outcome);
        Assert.Equal(2, _rest.Calls.Count);
    }

    [Fact]
    public async Task Missing_permissions_and_unknown_channels_are_permanent_and_server_errors_retry()
    {
        _rest.Script(
            FakeDiscordRest.Error(403, 50013, "Missing Permissions"),
            FakeDiscordRest.Error(403, 50001, "Missing Access"),
            FakeDiscordRest.Error(404, 10003, "Unknown Channel"),
            new FakeRestResponse(500, """{"message":"Internal Server Error","code":0}"""));

        var permissions = await _adapter.SendAsync(Message(), CancellationToken.None);
        var access = await _adapter.SendAsync(Message(), CancellationToken.None);
        var unknown = await _adapter.SendAsync(Message(), CancellationToken.None);
        var server = await _adapter.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, permissions.Outcome);
        Assert.Contains("50013", permissions.Error, StringComparison.Ordinal);
        Assert.Contains("Send Messages", permissions.Error, StringComparison.Ordinal);
        Assert.Equal(SendOutcome.PermanentFailure, access.Outcome);
        Assert.Equal(SendOutcome.PermanentFailure, unknown.Outcome);
        Assert.Contains("unknown channel", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(SendOutcome.Retry, server.Outcome);
        Assert.Null(server.RetryAfter);
    }

    [Fact]
    public async Task An_error_body_is_shown_only_through_discords_message_and_code_fields()
    {
        _rest.Script(
            new FakeRestResponse(400, "<html>upstream proxy: db_password=hunter2-secret</html>"),
            new FakeRestResponse(400, """{"message":"Invalid Form Body","code":50035,"errors":{"content":{"_errors":[{"message":"hunter2-secret"}]}}}"""));

        var html = await _adapter.SendAsync(Message(), CancellationToken.None);
        var documented = await _adapter.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, html.Outcome);
        Assert.Contains("400: Bad Request", html.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", html.Error, StringComparison.Ordinal);
        Assert.Contains("400/50035: Invalid Form Body", documented.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", documented.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_checks_the_token()
    {
        await _adapter.ConnectAsync(CancellationToken.None);
        await using var wrong = _channel.Create(_rest.BaseUrl, token: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.wrong.token");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await wrong.ConnectAsync(CancellationToken.None));
        Assert.Contains(_channel.Status.Errors, e => e.Contains("401", StringComparison.Ordinal));
    }
}
