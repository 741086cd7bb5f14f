using System.Text;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Webhook.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Webhook.Tests;

public sealed class WebhookInboundTests : IDisposable
{
    private readonly TestChannel _channel = new();

    public void Dispose()
    {
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(TestChannel.Secret, StringComparison.Ordinal));
        _channel.Dispose();
    }

    [Fact]
    public async Task Valid_signature_accepts_the_message_mapped_exactly()
    {
        await using var adapter = _channel.Create(provider: "helpdesk");
        var result = await adapter.HandleWebhookAsync(_channel.Signed(Payloads.Read("direct_text_with_attachment")), CancellationToken.None);

        Assert.False(result.IsRejected);
        Assert.Equal(202, result.StatusCode);
        Assert.Equal("application/json", result.ContentType);
        Assert.Equal("{\"accepted\":true}", Encoding.UTF8.GetString(result.ResponseBody.Span));
        var m = Assert.Single(result.Messages);
        Assert.Equal("msg-20250101-0001", m.ProviderMessageId);
        Assert.Equal("ticket-4711", m.ExternalChatId);
        Assert.Null(m.ExternalThreadId);
        Assert.Equal(new ExternalUser { Provider = "helpdesk", Value = "user-42", DisplayName = "Ada Lovelace", IsBot = false }, m.Sender);
        Assert.Equal("user_id", m.Sender.IdentityType);
        Assert.Equal(ChatKind.Direct, m.ChatKind);
        Assert.True(m.AddressedToBot);
        Assert.Equal("Where is my order? Ünïcode ✓", m.Text);
        Assert.Equal(_channel.Time.GetUtcNow(), m.SentAt);
        Assert.Equal(2, m.Attachments.Count);
        Assert.Equal(new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://files.example.com/a.png", FileName = "a.png", MimeType = "image/png", SizeBytes = 1024 }, m.Attachments[0]);
        Assert.Equal(new MessageAttachment { Kind = AttachmentKind.Document, Url = "https://files.example.com/invoice.pdf" }, m.Attachments[1]);
    }

    [Fact]
    public async Task Group_message_keeps_its_thread_and_is_not_addressed_unless_said()
    {
        await using var adapter = _channel.Create();
        var result = await adapter.HandleWebhookAsync(_channel.Signed(Payloads.Read("group_thread")), CancellationToken.None);

        var m = Assert.Single(result.Messages);
        Assert.Equal("room-7", m.ExternalChatId);
        Assert.Equal("thread-3", m.ExternalThreadId);
        Assert.Equal(ChatKind.Group, m.ChatKind);
        Assert.False(m.AddressedToBot);
        Assert.Equal("webhook", m.Sender.Provider);
        Assert.Null(m.Sender.DisplayName);
        Assert.Empty(m.Attachments);
    }

    [Fact]
    public async Task Header_names_are_matched_case_insensitively_even_in_a_case_sensitive_dictionary()
    {
        await using var adapter = _channel.Create();
        var body = Encoding.UTF8.GetBytes(Payloads.Read("minimal"));
        var ts = _channel.Time.GetUtcNow().ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["x-clawscale-timestamp"] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["x-clawscale-signature"] = TestSignature.Header(TestChannel.Secret, ts, body),
        };
        var result = await adapter.HandleWebhookAsync(_channel.Request(body, headers), CancellationToken.None);
        Assert.Equal(202, result.StatusCode);
    }

    public static TheoryData<string, string?, string?, string> BadSignatures => new()
    {
        // timestamp header, signature header ("OK" = the right one), expected reason fragment
        { "now", null, null, "missing X-ClawScale-Signature" },
        { "none", "OK", null, "missing X-ClawScale-Timestamp" },
        { "now", "v1=", null, "does not match" },
        { "now", "v1=" + new string('0', 64), null, "does not match" },
        { "now", "OK-UPPER-NO-PREFIX", null, "does not match" },
        { "now", "OK", "wrong-secret-0123456789", "does not match" },
        { "-301", "OK", null, "301 s away" },
        { "+301", "OK", null, "301 s away" },
        { "abc", "OK", null, "whole seconds" },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Bad_missing_or_stale_signature_is_rejected_with_401_and_nothing_returned(string timestamp, string? signature, string? signWith, string reason)
    {
        await using var adapter = _channel.Create();
        var body = Encoding.UTF8.GetBytes(Payloads.Read("minimal"));
        var now = _channel.Time.GetUtcNow().ToUnixTimeSeconds();
        var ts = timestamp switch
        {
            "now" => now.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "none" => null,
            "abc" => "abc",
            _ => (now + long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (ts is not null)
            headers["X-ClawScale-Timestamp"] = ts;
        var signed = "v1=" + TestSignature.Hex(signWith ?? TestChannel.Secret, ts ?? now.ToString(System.Globalization.CultureInfo.InvariantCulture), body);
        if (signature is not null)
        {
            headers["X-ClawScale-Signature"] = signature switch
            {
                "OK" => signed,
                "OK-UPPER-NO-PREFIX" => signed[3..].ToUpperInvariant(),
                _ => signature,
            };
        }

        var result = await adapter.HandleWebhookAsync(_channel.Request(body, headers), CancellationToken.None);

        Assert.True(result.IsRejected);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, Encoding.UTF8.GetString(result.ResponseBody.Span), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    [InlineData(-300)]
    public async Task Timestamp_within_five_minutes_is_accepted(int skewSeconds)
    {
        await using var adapter = _channel.Create();
        var ts = _channel.Time.GetUtcNow().ToUnixTimeSeconds() + skewSeconds;
        var result = await adapter.HandleWebhookAsync(_channel.Signed(Payloads.Read("minimal"), ts), CancellationToken.None);
        Assert.Equal(202, result.StatusCode);
    }

    [Fact]
    public async Task Tampered_body_is_rejected()
    {
        await using var adapter = _channel.Create();
        var good = _channel.Signed(Payloads.Read("minimal"));
        var tampered = good with { Body = Encoding.UTF8.GetBytes(Payloads.Read("minimal").Replace("hi", "ho", StringComparison.Ordinal)) };
        var result = await adapter.HandleWebhookAsync(tampered, CancellationToken.None);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task One_matching_signature_among_several_is_enough_for_secret_rotation()
    {
        await using var adapter = _channel.Create();
        var body = Payloads.Read("minimal");
        var ts = _channel.Time.GetUtcNow().ToUnixTimeSeconds();
        var old = TestSignature.Header("the-old-secret-000000", ts, Encoding.UTF8.GetBytes(body));
        var current = TestSignature.Header(TestChannel.Secret, ts, Encoding.UTF8.GetBytes(body));
        var result = await adapter.HandleWebhookAsync(_channel.Signed(body, ts, signature: $"{old}, {current}"), CancellationToken.None);
        Assert.Equal(202, result.StatusCode);
    }

    [Fact]
    public async Task Signature_is_checked_before_the_body_is_parsed()
    {
        await using var adapter = _channel.Create();
        var unsigned = await adapter.HandleWebhookAsync(_channel.Signed("{not json", signature: "v1=00"), CancellationToken.None);
        Assert.Equal(401, unsigned.StatusCode);
        var signed = await adapter.HandleWebhookAsync(_channel.Signed("{not json"), CancellationToken.None);
        Assert.Equal(400, signed.StatusCode);
    }

    [Theory]
    [InlineData("{not json", "not a JSON object")]
    [InlineData("", "not a JSON object")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("null", "not a JSON object")]
    [InlineData("{\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":\"t\"}", "id is required")]
    [InlineData("{\"id\":\"  \",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":\"t\"}", "id is required")]
    [InlineData("{\"id\":\"m\",\"sender\":{\"id\":\"u\"},\"text\":\"t\"}", "chat_id is required")]
    [InlineData("{\"id\":\"m\",\"chat_id\":42,\"sender\":{\"id\":\"u\"},\"text\":\"t\"}", "chat_id has the wrong type")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"text\":\"t\"}", "sender is required")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"name\":\"x\"},\"text\":\"t\"}", "sender.id is required")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\",\"is_bot\":\"no\"},\"text\":\"t\"}", "sender.is_bot has the wrong type")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"}}", "text is required")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":\"\",\"attachments\":[]}", "text is required")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"attachments\":[{\"kind\":\"sticker\",\"url\":\"https://x/y\"}]}", "attachments[0].kind must be")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"attachments\":[{\"url\":\"https://x/y\"}]}", "attachments[0].kind is required")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"attachments\":[{\"kind\":\"image\",\"url\":\"https://x/y\"},{\"kind\":\"image\",\"url\":\"/relative.png\"}]}", "attachments[1].url must be")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"attachments\":[{\"kind\":\"image\"}]}", "attachments[0].url is required")]
    [InlineData("{\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":\"t\",\"chat_type\":\"channel\"}", "chat_type must be")]
    [InlineData("{\"version\":2,\"id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":\"t\"}", "version must be 1")]
    public async Task Malformed_or_incomplete_body_is_rejected_with_400_naming_the_field(string body, string expected)
    {
        await using var adapter = _channel.Create();
        var result = await adapter.HandleWebhookAsync(_channel.Signed(body), CancellationToken.None);

        Assert.True(result.IsRejected);
        Assert.Equal(400, result.StatusCode);
        Assert.Empty(result.Messages);
        Assert.Contains(expected, result.Reason, StringComparison.Ordinal);
        Assert.StartsWith("text/plain", result.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_methods_get_405()
    {
        await using var adapter = _channel.Create();
        var signed = _channel.Signed(Payloads.Read("minimal"));
        var result = await adapter.HandleWebhookAsync(signed with { Method = "GET" }, CancellationToken.None);
        Assert.Equal(405, result.StatusCode);
        Assert.Empty(result.Messages);
    }
}
