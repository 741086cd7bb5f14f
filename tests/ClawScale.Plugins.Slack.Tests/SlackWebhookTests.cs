using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Slack.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Slack.Tests;

public sealed class SlackWebhookTests : IDisposable
{
    private readonly TestChannel _channel = new();

    public void Dispose() => _channel.Dispose();

    private async Task<WebhookResult> PostAsync(WebhookRequest request)
    {
        await using var adapter = _channel.Create();
        return await adapter.HandleWebhookAsync(request, CancellationToken.None);
    }

    [Fact]
    public async Task A_validly_signed_dm_is_accepted()
    {
        var result = await PostAsync(_channel.Signed(Payloads.Bytes("dm_message")));

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        var message = Assert.Single(result.Messages);
        Assert.Equal("D0DMCHAN01:1735732800.000200", message.ProviderMessageId);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
    }

    [Fact]
    public async Task A_wrong_signature_is_refused_with_401_and_nothing_accepted()
    {
        var result = await PostAsync(_channel.Signed(Payloads.Bytes("dm_message"), secret: "not-the-signing-secret"));

        Assert.True(result.IsRejected);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_body_altered_after_signing_is_refused()
    {
        var request = _channel.Signed(Payloads.Bytes("dm_message"));
        var altered = Encoding.UTF8.GetBytes(Payloads.Read("dm_message").Replace("my week", "my year", StringComparison.Ordinal));
        var result = await PostAsync(request with { Body = altered });

        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task A_stale_or_future_timestamp_is_refused_even_when_the_signature_matches(int secondsOff)
    {
        var signedAt = _channel.Time.GetUtcNow().AddSeconds(secondsOff);
        var result = await PostAsync(_channel.Signed(Payloads.Bytes("dm_message"), signedAt));

        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
        Assert.Contains("5 minutes", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timestamp_just_inside_the_window_is_accepted()
    {
        var result = await PostAsync(_channel.Signed(Payloads.Bytes("dm_message"), _channel.Time.GetUtcNow().AddSeconds(-299)));
        Assert.Single(result.Messages);
    }

    [Fact]
    public async Task Missing_signature_headers_are_refused_before_parsing()
    {
        var request = new WebhookRequest
        {
            Method = "POST",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            Body = Encoding.UTF8.GetBytes("not even json"),
            ReceivedAt = _channel.Time.GetUtcNow(),
        };
        var result = await PostAsync(request);

        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge_in_plain_text()
    {
        var result = await PostAsync(_channel.Signed(Payloads.Bytes("url_verification")));

        Assert.Equal(200, result.StatusCode);
        Assert.False(result.IsRejected);
        Assert.Empty(result.Messages);
        Assert.StartsWith("text/plain", result.ContentType, StringComparison.Ordinal);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", Encoding.UTF8.GetString(result.ResponseBody.Span));
    }

    [Fact]
    public async Task Url_verification_with_a_bad_signature_gets_no_challenge()
    {
        var result = await PostAsync(_channel.Signed(Payloads.Bytes("url_verification"), secret: "wrong"));

        Assert.Equal(401, result.StatusCode);
        Assert.DoesNotContain("3eZbrw1aBm2r", Encoding.UTF8.GetString(result.ResponseBody.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_but_malformed_body_gets_400()
    {
        var result = await PostAsync(_channel.Signed(Encoding.UTF8.GetBytes("{\"type\": ")));

        Assert.True(result.IsRejected);
        Assert.Equal(400, result.StatusCode);
    }

    [Theory]
    [InlineData("bot_message")]
    [InlineData("message_changed")]
    [InlineData("own_message")]
    public async Task Bot_own_and_changed_messages_are_ignored_with_200(string payload)
    {
        var result = await PostAsync(_channel.Signed(Payloads.Bytes(payload)));

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Messages);
        Assert.NotNull(result.Reason);
    }

    [Fact]
    public async Task A_retried_delivery_is_accepted_again_with_the_same_dedup_key()
    {
        var first = await PostAsync(_channel.Signed(Payloads.Bytes("channel_app_mention")));
        var retry = await PostAsync(_channel.Signed(Payloads.Bytes("channel_app_mention"), extraHeaders: new Dictionary<string, string>
        {
            ["X-Slack-Retry-Num"] = "1",
            ["X-Slack-Retry-Reason"] = "http_timeout",
        }));

        Assert.Equal(200, retry.StatusCode);
        Assert.Equal(Assert.Single(first.Messages).ProviderMessageId, Assert.Single(retry.Messages).ProviderMessageId);
    }

    [Fact]
    public async Task The_message_and_app_mention_events_of_one_mention_share_one_dedup_key()
    {
        var mention = Assert.Single((await PostAsync(_channel.Signed(Payloads.Bytes("channel_app_mention")))).Messages);
        var message = Assert.Single((await PostAsync(_channel.Signed(Payloads.Bytes("channel_message_mention")))).Messages);

        Assert.Equal("C0GENERAL1:1735732900.000300", mention.ProviderMessageId);
        Assert.Equal(mention.ProviderMessageId, message.ProviderMessageId);
        Assert.NotEqual(mention.Properties[SlackMapper.EventIdProperty], message.Properties[SlackMapper.EventIdProperty]);
        // Whichever arrives first is stored; both say the same thing about who it is for.
        Assert.True(mention.AddressedToBot);
        Assert.True(message.AddressedToBot);
        Assert.Equal(mention.Text, message.Text);
        Assert.Equal(mention.ExternalThreadId, message.ExternalThreadId);
    }

    [Fact]
    public async Task The_signing_secret_never_appears_in_logs_or_answers()
    {
        var result = await PostAsync(_channel.Signed(Payloads.Bytes("dm_message"), secret: "wrong"));
        Assert.DoesNotContain(TestChannel.SigningSecret, Encoding.UTF8.GetString(result.ResponseBody.Span), StringComparison.Ordinal);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(TestChannel.SigningSecret, StringComparison.Ordinal));
    }
}
