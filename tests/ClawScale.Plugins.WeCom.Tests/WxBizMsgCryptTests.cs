using System.Text;
using ClawScale.Plugins.Shared.WeChat;

namespace ClawScale.Plugins.WeCom.Tests;

/// <summary>
/// The shared WXBizMsgCrypt scheme against the published test vectors of Tencent's official sample code:
/// the WeCom sample (Sample.php/.cs/.py "使用示例一/二", Token QDG6eK, CorpID wx5823bf96d3bd56c7) and the Official Account
/// Java sample's WXBizMsgCryptTest (EncodingAESKey abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG, AppID
/// wxb11529c136998cb6, random "aaaabbbbccccdddd", reply "我是中文abcd123").
/// </summary>
public sealed class WxBizMsgCryptTests
{
    private const string OfficialEchoStr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    [Fact]
    public void The_official_url_verification_vector_verifies_and_decrypts_to_the_echo_number()
    {
        var crypt = new WxBizMsgCrypt(WeComTestChannel.Token, WeComTestChannel.EncodingAesKey, WeComTestChannel.CorpId);

        Assert.Equal("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", crypt.Sign("1409659589", "263014780", OfficialEchoStr));
        Assert.True(crypt.Verify("5C45FF5E21C57E6AD56BAC8758B79B1D9AC89FD3", "1409659589", "263014780", OfficialEchoStr));
        Assert.True(crypt.TryDecrypt(OfficialEchoStr, out var echo, out var failure), failure);
        Assert.Matches("^[0-9]+$", echo);
    }

    [Fact]
    public void The_official_message_vector_verifies_and_decrypts_to_the_documented_text_message()
    {
        var crypt = new WxBizMsgCrypt(WeComTestChannel.Token, WeComTestChannel.EncodingAesKey, WeComTestChannel.CorpId);
        Assert.True(WxXml.TryParse(WeComTestChannel.ReadPayload("official_text_callback.xml"), out var outer));
        var encrypted = outer!["Encrypt"];

        Assert.Equal("477715d11cdb4164915debcba66cb864d751f3e6", crypt.Sign("1409659813", "1372623149", encrypted));
        Assert.True(crypt.TryDecrypt(encrypted, out var xml, out var failure), failure);
        Assert.True(WxXml.TryParse(xml!, out var fields));
        Assert.Equal("mycreate", fields!["FromUserName"]);
        Assert.Equal("text", fields["MsgType"]);
        Assert.Equal("hello", fields["Content"]);
        Assert.Equal("4561255354251345929", fields["MsgId"]);
        Assert.Equal("218", fields["AgentID"]);
    }

    [Fact]
    public void Encryption_matches_the_official_java_sample_vector_with_32_byte_padding()
    {
        var crypt = new WxBizMsgCrypt("pamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");

        var encrypted = crypt.Encrypt("我是中文abcd123", Encoding.ASCII.GetBytes("aaaabbbbccccdddd"));

        Assert.Equal("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==", encrypted);
        Assert.True(crypt.TryDecrypt(encrypted, out var back, out _));
        Assert.Equal("我是中文abcd123", back);
    }

    [Fact]
    public void A_message_for_another_corp_or_with_a_wrong_key_or_signature_is_refused()
    {
        var other = new WxBizMsgCrypt(WeComTestChannel.Token, WeComTestChannel.EncodingAesKey, "ww0000000000000000");
        Assert.False(other.TryDecrypt(OfficialEchoStr, out _, out var failure));
        Assert.Contains("another corp id", failure);

        var wrongKey = new WxBizMsgCrypt(WeComTestChannel.Token, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", WeComTestChannel.CorpId);
        Assert.False(wrongKey.TryDecrypt(OfficialEchoStr, out _, out _));
        Assert.False(wrongKey.TryDecrypt("not base64!", out _, out _));

        var crypt = new WxBizMsgCrypt(WeComTestChannel.Token, WeComTestChannel.EncodingAesKey, WeComTestChannel.CorpId);
        Assert.False(crypt.Verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4", "1409659589", "263014780", OfficialEchoStr));
        Assert.False(crypt.Verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659590", "263014780", OfficialEchoStr));
        Assert.False(crypt.Verify(null, "1409659589", "263014780", OfficialEchoStr));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2=")]
    public void A_malformed_encoding_aes_key_is_named_without_quoting_it(string key)
    {
        Assert.Null(WxBizMsgCrypt.TryDecodeKey(key, out var problem));
        Assert.DoesNotContain(key, problem);
    }

    [Fact]
    public void Xml_with_a_dtd_is_refused_so_no_entity_is_expanded()
    {
        const string xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Content>&e;</Content></xml>";
        Assert.False(WxXml.TryParse(xxe, out _));
    }

    [Fact]
    public void Text_is_split_at_2048_utf8_bytes_without_breaking_characters()
    {
        var text = string.Concat(Enumerable.Repeat("企业微信", 300)); // 3600 characters, 10,800 bytes
        var parts = WxTextSplitter.Split(text, 2048);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 2048));
        Assert.Equal(text, string.Concat(parts));
    }
}
