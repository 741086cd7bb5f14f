using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.WhatsApp.Tests.Support;

namespace ClawScale.Plugins.WhatsApp.Tests;

/// <summary>
/// The webhook side of the WhatsApp adapter with payloads in the shapes of Meta's published examples (see
/// Payloads/SOURCES.md): the verification GET, signature checks before parsing, messages, replies, statuses.
/// </summary>
public sealed class WhatsAppWebhookTests : IDisposable
{
    private readonly TestChannel _channel = new();

    public void Dispose() => _channel.Dispose();

    private static WebhookRequest Get(string query) => new()
    {
        Method = "GET",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        QueryString = query,
    };

    [Fact]
    public async Task The_verification_request_of_the_docs_is_answered_with_the_challenge_as_plain_text()
    {
        // Graph API "Getting started" → "Verification Requests": the example query, verify token "meatyhamhock".
        var adapter = _channel.Create();
        var result = await adapter.HandleWebhookAsync(Get("?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock"), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.StartsWith("text/plain", result.ContentType);
        Assert.Equal("1158201444", Encoding.UTF8.GetString(result.ResponseBody.Span));
        Assert.Empty(result.Messages);
    }

    [Theory]
    [InlineData("?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong")]
    [InlineData("?hub.mode=subscribe&hub.challenge=1158201444")]
    [InlineData("?hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock")]
    [InlineData("")]
    public async Task A_verification_request_with_a_wrong_token_or_mode_is_refused_with_403(string query)
    {
        var adapter = _channel.Create();
        var result = await adapter.HandleWebhookAsync(Get(query), default);

        Assert.True(result.IsRejected);
        Assert.Equal(403, result.StatusCode);
        Assert.DoesNotContain("1158201444", Encoding.UTF8.GetString(result.ResponseBody.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_message_becomes_one_direct_message_keyed_on_its_wamid()
    {
        var adapter = _channel.Create();
        var result = await adapter.HandleWebhookAsync(_channel.Signed(TestChannel.Payload("text_message")), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        var message = Assert.Single(result.Messages);
        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", message.ProviderMessageId);
        Assert.Equal("16505551234", message.ExternalChatId);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("Does it come in another color?", message.Text);
        Assert.Equal("whatsapp", message.Sender.Provider);
        Assert.Equal("wa_id", message.Sender.IdentityType);
        Assert.Equal("16505551234", message.Sender.Value);
        Assert.Equal("Sheena Nelson", message.Sender.DisplayName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1749416383), message.SentAt);
    }

    [Fact]
    public async Task A_reply_keeps_the_quoted_message_id_and_an_image_becomes_an_attachment_with_its_caption()
    {
        var adapter = _channel.Create();
        var reply = Assert.Single((await adapter.HandleWebhookAsync(_channel.Signed(TestChannel.Payload("reply_message")), default)).Messages);
        Assert.Equal("wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1QjJGRjI1RDY0RkE4Nzg4QzcA", reply.Properties["whatsapp.context_id"]);
        Assert.Equal("Can you tell me more about the blue one?", reply.Text);

        var image = Assert.Single((await adapter.HandleWebhookAsync(_channel.Signed(TestChannel.Payload("image_message")), default)).Messages);
        Assert.Equal("Is this the right one?", image.Text);
        var attachment = Assert.Single(image.Attachments);
        Assert.Equal(AttachmentKind.Image, attachment.Kind);
        Assert.Equal("1003383421387256", attachment.ProviderFileId);
        Assert.Equal("image/jpeg", attachment.MimeType);
    }

    [Fact]
    public async Task Status_updates_are_acknowledged_and_ignored()
    {
        var adapter = _channel.Create();
        var result = await adapter.HandleWebhookAsync(_channel.Signed(TestChannel.Payload("status_sent")), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_change_for_another_business_number_of_the_same_app_is_ignored()
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(TestChannel.Payload("text_message")).Replace("106540352242922", "999999999999999", StringComparison.Ordinal));
        var result = await _channel.Create().HandleWebhookAsync(_channel.Signed(body), default);

        Assert.False(result.IsRejected);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_wrong_or_missing_signature_is_refused_with_401_before_the_body_is_read()
    {
        var adapter = _channel.Create();
        var body = TestChannel.Payload("text_message");

        var wrong = await adapter.HandleWebhookAsync(_channel.Signed(body, "another-app-secret"), default);
        Assert.True(wrong.IsRejected);
        Assert.Equal(401, wrong.StatusCode);
        Assert.Empty(wrong.Messages);

        var unsigned = await adapter.HandleWebhookAsync(new WebhookRequest
        {
            Method = "POST",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            Body = body,
        }, default);
        Assert.Equal(401, unsigned.StatusCode);

        // Not JSON at all, but unsigned: still 401 (the signature is checked first).
        var garbage = await adapter.HandleWebhookAsync(new WebhookRequest
        {
            Method = "POST",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [WhatsAppSignature.Header] = "sha256=00" },
            Body = "not json"u8.ToArray(),
        }, default);
        Assert.Equal(401, garbage.StatusCode);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(TestChannel.AppSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_body_that_is_not_json_is_refused_with_400()
    {
        var result = await _channel.Create().HandleWebhookAsync(_channel.Signed("{\"object\":"u8.ToArray()), default);

        Assert.True(result.IsRejected);
        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public async Task Other_methods_are_refused_with_405()
    {
        var result = await _channel.Create().HandleWebhookAsync(new WebhookRequest { Method = "PUT", Headers = new Dictionary<string, string>() }, default);
        Assert.Equal(405, result.StatusCode);
    }

    [Fact]
    public void The_factory_reports_every_missing_setting_and_declares_its_endpoint_key()
    {
        var factory = new WhatsAppChannelAdapterFactory();
        var problems = factory.Validate(new Dictionary<string, string> { ["graph_api_version"] = "23", ["graph_base_url"] = "ftp://x" }, new Dictionary<string, string>());

        Assert.Contains(problems, p => p.StartsWith("config.phone_number_id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.graph_api_version", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.graph_base_url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.access_token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.app_secret", StringComparison.Ordinal));
        Assert.Equal(["graph_base_url"], factory.EndpointConfigKeys);
        Assert.Empty(factory.Validate(
            new Dictionary<string, string> { ["phone_number_id"] = TestChannel.PhoneNumberId },
            new Dictionary<string, string> { ["access_token"] = "EAAJB", ["app_secret"] = "s" }));
    }
}
