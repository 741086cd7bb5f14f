using System.Text;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared.WeChat;

namespace ClawScale.Plugins.WeCom.Tests;

/// <summary>
/// The callback URL: verification (GET) and encrypted text callbacks (POST), with the official sample's values
/// (Payloads/README.md), and refusals that store nothing.
/// </summary>
public sealed class WeComWebhookTests
{
    private const string OfficialQuery = "?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149";

    [Fact]
    public async Task The_url_verification_get_is_answered_with_the_decrypted_echostr_as_plain_text()
    {
        await using var adapter = WeComTestChannel.Create();
        // The request of the official sample, URL-encoded as WeCom sends it.
        var query = "?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";

        var result = await adapter.HandleWebhookAsync(WeComTestChannel.Request("GET", query), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.StartsWith("text/plain", result.ContentType);
        Assert.Matches("^[0-9]+$", Encoding.UTF8.GetString(result.ResponseBody.Span));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task The_official_encrypted_text_callback_becomes_a_direct_message_deduplicated_on_MsgId()
    {
        await using var adapter = WeComTestChannel.Create();

        var result = await adapter.HandleWebhookAsync(WeComTestChannel.Request("POST", OfficialQuery, WeComTestChannel.ReadPayload("official_text_callback.xml")), default);

        var message = Assert.Single(result.Messages);
        Assert.Equal("4561255354251345929", message.ProviderMessageId);
        Assert.Equal("mycreate", message.ExternalChatId);
        Assert.Equal("mycreate", message.Sender.Value);
        Assert.Equal("wecom", message.Sender.Provider);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("hello", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1409659813), message.SentAt);
        Assert.True(result.ResponseBody.IsEmpty);
    }

    [Theory]
    [InlineData("?msg_signature=477715d11cdb4164915debcba66cb864d751f3e7&timestamp=1409659813&nonce=1372623149")]
    [InlineData("?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659814&nonce=1372623149")]
    [InlineData("?timestamp=1409659813&nonce=1372623149")]
    [InlineData("")]
    public async Task A_callback_whose_signature_does_not_match_is_refused_with_401_and_nothing_accepted(string query)
    {
        await using var adapter = WeComTestChannel.Create();

        var result = await adapter.HandleWebhookAsync(WeComTestChannel.Request("POST", query, WeComTestChannel.ReadPayload("official_text_callback.xml")), default);

        Assert.True(result.IsRejected);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_tampered_encrypt_text_fails_the_signature_and_a_body_without_encrypt_is_refused()
    {
        await using var adapter = WeComTestChannel.Create();
        var tampered = WeComTestChannel.ReadPayload("official_text_callback.xml").Replace("RypEvHKD8QQ", "RypEvHKD8QR", StringComparison.Ordinal);

        var first = await adapter.HandleWebhookAsync(WeComTestChannel.Request("POST", OfficialQuery, tampered), default);
        var second = await adapter.HandleWebhookAsync(WeComTestChannel.Request("POST", OfficialQuery, "<xml><ToUserName>x</ToUserName></xml>"), default);
        var third = await adapter.HandleWebhookAsync(WeComTestChannel.Request("POST", OfficialQuery, "not xml"), default);

        Assert.All([first, second, third], r => Assert.Equal(401, r.StatusCode));
        Assert.All([first, second, third], r => Assert.Empty(r.Messages));
    }

    [Fact]
    public async Task Events_other_message_types_and_other_apps_are_acknowledged_and_ignored()
    {
        await using var adapter = WeComTestChannel.Create();
        var crypt = new WxBizMsgCrypt(WeComTestChannel.Token, WeComTestChannel.EncodingAesKey, WeComTestChannel.CorpId);
        // WeCom "事件格式" → 进入应用 (enter_agent) and "消息格式" → 图片消息, and a text for another AgentID.
        string[] inner =
        [
            "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName><CreateTime>1408091189</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>218</AgentID></xml>",
            "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[this is a url]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId><MsgId>1234567890123456</MsgId><AgentID>218</AgentID></xml>",
            "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId><AgentID>1</AgentID></xml>",
        ];
        foreach (var xml in inner)
        {
            var encrypted = crypt.Encrypt(xml, new byte[16]);
            var query = $"?msg_signature={crypt.Sign("1700000000", "42", encrypted)}&timestamp=1700000000&nonce=42";
            var result = await adapter.HandleWebhookAsync(WeComTestChannel.Request("POST", query, $"<xml><ToUserName><![CDATA[{WeComTestChannel.CorpId}]]></ToUserName><AgentID><![CDATA[218]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"), default);
            Assert.False(result.IsRejected);
            Assert.Equal(200, result.StatusCode);
            Assert.Empty(result.Messages);
            Assert.NotNull(result.Reason);
        }
    }

    [Fact]
    public void The_factory_lists_every_problem_with_its_field()
    {
        var problems = new WeComChannelAdapterFactory().Validate(
            new Dictionary<string, string> { ["agent_id"] = "abc", ["typo"] = "1" },
            new Dictionary<string, string> { ["encoding_aes_key"] = "too-short" });

        Assert.Contains(problems, p => p.StartsWith("config.corp_id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.agent_id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.typo", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.corp_secret", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.encoding_aes_key", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("too-short", StringComparison.Ordinal));
        Assert.Equal(["api_base_url"], new WeComChannelAdapterFactory().EndpointConfigKeys);
    }
}
