using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.WeCom.Tests.Fakes;

namespace ClawScale.Plugins.WeCom.Tests;

/// <summary>message/send against a local fake of the WeCom server API (Fakes/FakeWxApi): token caching and refresh, errcode
/// mapping to retry / dead letter, the per-member minute limit, and splitting at 2048 bytes.</summary>
public sealed class WeComSendTests : IAsyncLifetime
{
    private FakeWxApi _api = null!;
    private readonly HttpClient _http = new();
    private readonly TrackingFakeTimeProvider _time = new();

    public async Task InitializeAsync() => _api = await FakeWxApi.StartAsync(WeComTestChannel.CorpId, WeComTestChannel.CorpSecret);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Sends_text_to_the_member_with_one_cached_token_and_reports_the_msgid()
    {
        await using var adapter = WeComTestChannel.Create(_http, _api.ApiBaseUrl, _time);
        await adapter.ConnectAsync(default);

        var first = await adapter.SendAsync(Message("echo: hello"), default);
        var second = await adapter.SendAsync(Message("again"), default);

        Assert.Equal(SendOutcome.Delivered, first.Outcome);
        Assert.Equal("msgid-1", first.ProviderMessageId);
        Assert.Equal(SendOutcome.Delivered, second.Outcome);
        Assert.Single(_api.CallsTo("gettoken"));
        var send = _api.CallsTo("message/send")[0];
        Assert.Equal("mycreate", send.Field("touser"));
        Assert.Equal("text", send.Field("msgtype"));
        Assert.Equal("218", send.Field("agentid"));
        Assert.Equal("echo: hello", send.Text);
        Assert.Equal("ACCESS_TOKEN_1", send.AccessToken);
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_once_and_the_send_goes_through()
    {
        await using var adapter = WeComTestChannel.Create(_http, _api.ApiBaseUrl, _time);
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Message("one"), default)).Outcome);
        _api.ExpireTokens();

        var result = await adapter.SendAsync(Message("two"), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal(2, _api.CallsTo("gettoken").Count);
        Assert.Equal(["ACCESS_TOKEN_1", "ACCESS_TOKEN_1", "ACCESS_TOKEN_2"], _api.CallsTo("message/send").Select(c => c.AccessToken));
    }

    [Fact]
    public async Task The_token_is_fetched_again_after_its_lifetime_by_the_channel_clock()
    {
        await using var adapter = WeComTestChannel.Create(_http, _api.ApiBaseUrl, _time);
        await adapter.SendAsync(Message("one"), default);
        _time.Advance(TimeSpan.FromSeconds(7200 - 301));
        await adapter.SendAsync(Message("two"), default);
        Assert.Single(_api.CallsTo("gettoken"));

        _time.Advance(TimeSpan.FromSeconds(2));
        await adapter.SendAsync(Message("three"), default);
        Assert.Equal(2, _api.CallsTo("gettoken").Count);
    }

    [Theory]
    [InlineData("{\"errcode\":-1,\"errmsg\":\"system busy\"}", 200, null, SendOutcome.Retry, null)]
    [InlineData("{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}", 200, null, SendOutcome.Retry, 60)]
    [InlineData("<html>bad gateway</html>", 503, 7, SendOutcome.Retry, 7)]
    [InlineData("{\"errcode\":81013,\"errmsg\":\"user & party & tag all invalid\"}", 200, null, SendOutcome.PermanentFailure, null)]
    [InlineData("{\"errcode\":40003,\"errmsg\":\"invalid userid\"}", 200, null, SendOutcome.PermanentFailure, null)]
    public async Task Errcodes_map_to_retry_or_dead_letter(string answer, int status, int? retryAfterHeader, SendOutcome expected, int? expectedRetryAfter)
    {
        await using var adapter = WeComTestChannel.Create(_http, _api.ApiBaseUrl, _time);
        _api.FailNextSends(1, answer, status, retryAfterHeader);

        var result = await adapter.SendAsync(Message("hi"), default);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expectedRetryAfter is { } s ? TimeSpan.FromSeconds(s) : null, result.RetryAfter);
        if (answer.StartsWith('{'))
            Assert.Contains(answer.Split("\"errmsg\":\"")[1].TrimEnd('"', '}'), result.Error);
        else
            Assert.DoesNotContain("html", result.Error);
        Assert.DoesNotContain("ACCESS_TOKEN", result.Error);
    }

    [Fact]
    public async Task A_wrong_corp_secret_is_a_dead_letter_naming_the_credential_and_connect_fails()
    {
        await using var fake = await FakeWxApi.StartAsync(WeComTestChannel.CorpId, "another-secret");
        await using var adapter = WeComTestChannel.Create(_http, fake.ApiBaseUrl, _time);

        var result = await adapter.SendAsync(Message("hi"), default);
        var connect = await Assert.ThrowsAsync<InvalidOperationException>(async () => await adapter.ConnectAsync(default));

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("credentials.corp_secret", result.Error);
        Assert.Contains("40001", connect.Message);
        Assert.DoesNotContain(WeComTestChannel.CorpSecret, result.Error);
        Assert.Empty(fake.CallsTo("message/send"));
    }

    [Fact]
    public async Task A_member_is_sent_at_most_the_per_minute_limit_and_the_rest_waits_for_the_window()
    {
        await using var adapter = WeComTestChannel.Create(_http, _api.ApiBaseUrl, _time, new Dictionary<string, string> { ["per_member_per_minute"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Message($"m{i}"), default)).Outcome);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var held = await adapter.SendAsync(Message("m3"), default);
        var otherMember = await adapter.SendAsync(Message("x") with { ExternalChatId = "zhangsan" }, default);

        Assert.Equal(SendOutcome.Retry, held.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), held.RetryAfter);
        Assert.Equal(SendOutcome.Delivered, otherMember.Outcome);
        Assert.Equal(4, _api.CallsTo("message/send").Count);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Message("m3"), default)).Outcome);
    }

    [Fact]
    public async Task A_long_reply_is_sent_in_parts_of_at_most_2048_bytes()
    {
        await using var adapter = WeComTestChannel.Create(_http, _api.ApiBaseUrl, _time);
        var text = string.Join(' ', Enumerable.Repeat("你好世界", 400));

        var result = await adapter.SendAsync(Message(text), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var parts = _api.CallsTo("message/send").Select(c => c.Text!).ToArray();
        Assert.True(parts.Length > 1);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 2048));
    }

    private static OutboundMessage Message(string text) => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "key_1",
        ExternalChatId = "mycreate",
        Text = text,
    };
}
