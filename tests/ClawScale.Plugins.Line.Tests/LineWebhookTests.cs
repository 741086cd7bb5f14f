using System.Globalization;
using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Line.Tests.Support;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Line.Tests;

/// <summary>
/// The webhook side of the LINE adapter with the reference's example bodies (Payloads/SOURCES.md): signature first,
/// events mapped, group/room addressing by the bot's mention, redeliveries, LINE's empty verification call.
/// </summary>
public sealed class LineWebhookTests : IDisposable
{
    private readonly TestChannel _channel = new();

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task The_reference_request_body_gives_one_direct_text_message_keyed_on_its_webhook_event_id()
    {
        var result = await _channel.Create().HandleWebhookAsync(_channel.Signed(TestChannel.Payload("request_body")), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        var message = Assert.Single(result.Messages); // follow and unfollow are ignored
        Assert.Equal("01FZ74A0TDDPYRVKNK77XKC3ZR", message.ProviderMessageId);
        Assert.Equal("14353798921116", message.PlatformMessageId);
        Assert.Equal("U80696558e1aa831a0b2c3d4e5f6a7b8c", message.ExternalChatId);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("Hello, world", message.Text);
        Assert.Equal("line", message.Sender.Provider);
        Assert.Equal("U80696558e1aa831a0b2c3d4e5f6a7b8c", message.Sender.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1625665242211), message.SentAt);
        Assert.Equal("757913772c4646b784d4b7ce46d12671", message.Properties[LineMapper.ReplyTokenProperty]);
        var expires = long.Parse(message.Properties[LineMapper.ReplyTokenExpiresProperty], CultureInfo.InvariantCulture);
        Assert.Equal((_channel.Time.GetUtcNow() + TimeSpan.FromSeconds(50)).ToUnixTimeMilliseconds(), expires);
    }

    [Fact]
    public async Task A_group_message_that_does_not_mention_the_bot_is_not_addressed_to_it()
    {
        // The reference's example mentions @All and another user (isSelf false).
        var message = Assert.Single((await _channel.Create().HandleWebhookAsync(_channel.Signed(TestChannel.Payload("group_text_mentions")), default)).Messages);

        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.Equal("Ca56f94637c0a1b2c3d4e5f6a7b8c9d0e", message.ExternalChatId);
        Assert.Equal("U4af4980629a1b2c3d4e5f6a7b8c9d0e1", message.Sender.Value);
        Assert.False(message.AddressedToBot);
        Assert.Equal("@All @example Good Morning!! (love)", message.Text);
    }

    [Fact]
    public async Task A_group_message_that_mentions_the_bot_is_addressed_to_it_without_the_mention()
    {
        var message = Assert.Single((await _channel.Create().HandleWebhookAsync(_channel.Signed(TestChannel.Payload("group_text_mention_self")), default)).Messages);

        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("what is the opening time?", message.Text);
        Assert.Equal("q3Plxr4AgKd...", message.Properties[LineMapper.QuoteTokenProperty]);
    }

    [Fact]
    public async Task A_direct_message_keeps_no_quote_token_so_direct_answers_are_not_quoted()
    {
        var body = Encoding.UTF8.GetString(TestChannel.Payload("request_body")).Replace("\"text\": \"Hello, world\"", "\"text\": \"Hello, world\", \"quoteToken\": \"yHAz4Ua2wx7...\"", StringComparison.Ordinal);
        Assert.Contains("yHAz4Ua2wx7", body, StringComparison.Ordinal);
        var message = Assert.Single((await _channel.Create().HandleWebhookAsync(_channel.Signed(Encoding.UTF8.GetBytes(body)), default)).Messages);

        Assert.False(message.Properties.ContainsKey(LineMapper.QuoteTokenProperty));
    }

    [Fact]
    public async Task A_room_message_is_a_group_chat_keyed_on_the_room_id()
    {
        var body = Encoding.UTF8.GetString(TestChannel.Payload("group_text_mentions"))
            .Replace("\"type\": \"group\"", "\"type\": \"room\"", StringComparison.Ordinal)
            .Replace("\"groupId\"", "\"roomId\"", StringComparison.Ordinal);
        var message = Assert.Single((await _channel.Create().HandleWebhookAsync(_channel.Signed(Encoding.UTF8.GetBytes(body)), default)).Messages);

        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.Equal("Ca56f94637c0a1b2c3d4e5f6a7b8c9d0e", message.ExternalChatId);
    }

    [Fact]
    public async Task A_redelivered_event_is_accepted_again_without_its_reply_token()
    {
        var body = Encoding.UTF8.GetString(TestChannel.Payload("request_body")).Replace("\"isRedelivery\": false", "\"isRedelivery\": true", StringComparison.Ordinal);
        var message = Assert.Single((await _channel.Create().HandleWebhookAsync(_channel.Signed(Encoding.UTF8.GetBytes(body)), default)).Messages);

        Assert.Equal("01FZ74A0TDDPYRVKNK77XKC3ZR", message.ProviderMessageId);
        Assert.False(message.Properties.ContainsKey(LineMapper.ReplyTokenProperty));
    }

    [Fact]
    public async Task Standby_mode_events_are_ignored()
    {
        var body = Encoding.UTF8.GetString(TestChannel.Payload("request_body")).Replace("\"mode\": \"active\"", "\"mode\": \"standby\"", StringComparison.Ordinal);
        var result = await _channel.Create().HandleWebhookAsync(_channel.Signed(Encoding.UTF8.GetBytes(body)), default);

        Assert.False(result.IsRejected);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task The_empty_verification_call_is_answered_200()
    {
        var result = await _channel.Create().HandleWebhookAsync(_channel.Signed("{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[]}"u8.ToArray()), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_wrong_or_missing_signature_is_refused_with_401_and_a_signed_non_json_body_with_400()
    {
        var adapter = _channel.Create();
        var body = TestChannel.Payload("request_body");

        var wrong = await adapter.HandleWebhookAsync(_channel.Signed(body, "0000000000000000ffffffffffffffff"), default);
        Assert.Equal(401, wrong.StatusCode);
        Assert.True(wrong.IsRejected);
        Assert.Empty(wrong.Messages);

        var missing = await adapter.HandleWebhookAsync(new WebhookRequest { Method = "POST", Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), Body = body }, default);
        Assert.Equal(401, missing.StatusCode);

        var notJson = await adapter.HandleWebhookAsync(_channel.Signed("<xml/>"u8.ToArray()), default);
        Assert.Equal(400, notJson.StatusCode);

        var get = await adapter.HandleWebhookAsync(new WebhookRequest { Method = "GET", Headers = new Dictionary<string, string>() }, default);
        Assert.Equal(405, get.StatusCode);
    }

    [Fact]
    public void The_signature_is_base64_hmac_sha256_of_the_body_with_the_channel_secret()
    {
        // Computed independently (Python hmac/hashlib/base64) for "{}" keyed with "secret".
        Assert.Equal("dzJZAsrKgS3CWXM6rNBGtzgXNyx3e42VtAJkdHRRbhM=", LineSignature.Compute("secret", "{}"u8));
    }

    [Fact]
    public void The_factory_reports_every_missing_setting()
    {
        var factory = new LineChannelAdapterFactory();
        var problems = factory.Validate(new Dictionary<string, string> { ["reply_token_window_seconds"] = "120" }, new Dictionary<string, string>());

        Assert.Contains(problems, p => p.StartsWith("config.reply_token_window_seconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.channel_access_token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.channel_secret", StringComparison.Ordinal));
        Assert.Equal(["api_base_url"], factory.EndpointConfigKeys);
    }
}
