using System.Security.Cryptography;
using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared.WeChat;
using ClawScale.Plugins.WeCom.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Plugins.WeChat.Tests;

/// <summary>
/// The Official Account channel: URL verification, plain and safe-mode pushes (payloads in Payloads/, sources in its
/// README), refusals that store nothing, and customer-service sends against the local fake API (FakeWxApi).
/// </summary>
public sealed class WeChatTests : IAsyncLifetime
{
    private const string Token = "spamtest";
    private const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private const string AppId = "wx2c2769f8efd9abc2";
    private const string AppSecret = "test-app-secret";
    private FakeWxApi _api = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _api = await FakeWxApi.StartAsync(AppId, AppSecret);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task The_server_url_verification_echoes_echostr_when_the_signature_matches()
    {
        await using var adapter = Create(safe: false);
        var signature = Sha1("1409735669", "1320562132", Token);

        var ok = await adapter.HandleWebhookAsync(Request("GET", $"?signature={signature}&timestamp=1409735669&nonce=1320562132&echostr=5837397144925392734"), default);
        var bad = await adapter.HandleWebhookAsync(Request("GET", $"?signature={signature}&timestamp=1409735670&nonce=1320562132&echostr=5837397144925392734"), default);

        Assert.Equal("5837397144925392734", Encoding.UTF8.GetString(ok.ResponseBody.Span));
        Assert.Equal(401, bad.StatusCode);
        Assert.True(bad.IsRejected);
    }

    [Fact]
    public async Task A_plain_mode_text_push_becomes_a_direct_message_answered_success()
    {
        await using var adapter = Create(safe: false);
        var query = $"?signature={Sha1("1348831861", "77", Token)}&timestamp=1348831861&nonce=77&openid=fromUser";

        var result = await adapter.HandleWebhookAsync(Request("POST", query, Read("text_message.xml")), default);

        var message = Assert.Single(result.Messages);
        Assert.Equal("1234567890123456", message.ProviderMessageId);
        Assert.Equal("fromUser", message.ExternalChatId);
        Assert.Equal("open_id", message.Sender.IdentityType);
        Assert.Equal("wechat", message.Sender.Provider);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.Equal("this is a test", message.Text);
        Assert.Equal("success", Encoding.UTF8.GetString(result.ResponseBody.Span));
    }

    [Fact]
    public async Task The_official_safe_mode_sample_verifies_and_decrypts_with_the_appid_as_receiveid()
    {
        await using var adapter = Create(safe: true);
        var query = $"?signature={Sha1("1409735669", "1320562132", Token)}&timestamp=1409735669&nonce=1320562132&encrypt_type=aes&msg_signature=5d197aaffba7e9b25a30732f161a50dee96bd5fa";

        var result = await adapter.HandleWebhookAsync(Request("POST", query, Read("compatible_mode_sample.xml")), default);

        Assert.False(result.IsRejected, result.Reason);
        var message = Assert.Single(result.Messages);
        Assert.Equal("oyORnuP8q7ou2gfYjqLzSIWZf0rs", message.ExternalChatId);
        Assert.Equal("6054768590064713728", message.ProviderMessageId);
    }

    [Fact]
    public async Task In_safe_mode_a_wrong_msg_signature_and_a_plain_push_are_refused_with_401()
    {
        await using var adapter = Create(safe: true);
        var signature = Sha1("1409735669", "1320562132", Token);

        var wrong = await adapter.HandleWebhookAsync(Request("POST", $"?signature={signature}&timestamp=1409735669&nonce=1320562132&encrypt_type=aes&msg_signature=5d197aaffba7e9b25a30732f161a50dee96bd5fb", Read("compatible_mode_sample.xml")), default);
        var plain = await adapter.HandleWebhookAsync(Request("POST", $"?signature={signature}&timestamp=1409735669&nonce=1320562132", Read("text_message.xml")), default);
        var unsigned = await adapter.HandleWebhookAsync(Request("POST", "?timestamp=1409735669&nonce=1320562132", Read("text_message.xml")), default);

        Assert.All([wrong, plain, unsigned], r => Assert.Equal(401, r.StatusCode));
        Assert.All([wrong, plain, unsigned], r => Assert.Empty(r.Messages));
    }

    [Fact]
    public async Task Events_are_answered_success_and_ignored()
    {
        await using var adapter = Create(safe: false);
        // WeChat "接收事件推送" → 关注/取消关注事件.
        const string subscribe = "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName><CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>";
        var result = await adapter.HandleWebhookAsync(Request("POST", $"?signature={Sha1("1", "2", Token)}&timestamp=1&nonce=2", subscribe), default);
        Assert.Empty(result.Messages);
        Assert.False(result.IsRejected);
        Assert.Equal("success", Encoding.UTF8.GetString(result.ResponseBody.Span));
    }

    [Fact]
    public async Task Sends_a_customer_service_text_with_a_cached_token_refreshing_it_when_expired()
    {
        await using var adapter = Create(safe: false);
        await adapter.ConnectAsync(default);
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Message("echo: hi"), default)).Outcome);
        _api.ExpireTokens();
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Message("again"), default)).Outcome);

        Assert.Equal(2, _api.CallsTo("token").Count);
        var send = _api.CallsTo("message/custom/send")[0];
        Assert.Equal("fromUser", send.Field("touser"));
        Assert.Equal("text", send.Field("msgtype"));
        Assert.Equal("echo: hi", send.Text);
    }

    [Theory]
    [InlineData("{\"errcode\":45015,\"errmsg\":\"response out of time limit or subscription is canceled\"}", SendOutcome.PermanentFailure, "48 hours")]
    [InlineData("{\"errcode\":45047,\"errmsg\":\"out of response count limit\"}", SendOutcome.Retry, "45047")]
    [InlineData("{\"errcode\":-1,\"errmsg\":\"system error\"}", SendOutcome.Retry, "busy")]
    [InlineData("{\"errcode\":40003,\"errmsg\":\"invalid openid\"}", SendOutcome.PermanentFailure, "invalid openid")]
    public async Task Errcodes_map_to_retry_or_dead_letter(string answer, SendOutcome expected, string mentioned)
    {
        await using var adapter = Create(safe: false);
        _api.FailNextSends(1, answer);

        var result = await adapter.SendAsync(Message("hi"), default);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains(mentioned, result.Error);
    }

    [Fact]
    public async Task A_wrong_app_secret_is_a_dead_letter_naming_the_credential()
    {
        await using var fake = await FakeWxApi.StartAsync(AppId, "other-secret");
        await using var adapter = Create(safe: false, fake.ApiBaseUrl);
        var result = await adapter.SendAsync(Message("hi"), default);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("credentials.app_secret", result.Error);
        Assert.Empty(fake.CallsTo("message/custom/send"));
    }

    private WeChatChannelAdapter Create(bool safe, Uri? apiBaseUrl = null)
    {
        var credentials = new Dictionary<string, string> { ["app_secret"] = AppSecret, ["token"] = Token };
        if (safe)
            credentials["encoding_aes_key"] = AesKey;
        return (WeChatChannelAdapter)new WeChatChannelAdapterFactory().Create(new ChannelContext
        {
            ChannelId = "ch_wechat",
            TenantId = "tn_test",
            Config = new Dictionary<string, string> { ["app_id"] = AppId, ["api_base_url"] = (apiBaseUrl ?? _api.ApiBaseUrl).AbsoluteUri },
            Credentials = credentials,
            WebhookSecret = "unused",
            HttpClient = _http,
            Logger = NullLogger.Instance,
        });
    }

    /// <summary>SHA1 of the sorted parts, written independently of the plugin's code.</summary>
    private static string Sha1(params string[] parts)
    {
        Array.Sort(parts, StringComparer.Ordinal);
#pragma warning disable CA5350 // the platform's signature algorithm
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
#pragma warning restore CA5350
    }

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    private static WebhookRequest Request(string method, string query, string body = "") => new()
    {
        Method = method,
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "text/xml" },
        QueryString = query,
        Body = Encoding.UTF8.GetBytes(body),
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    private static OutboundMessage Message(string text) => new() { DeliveryId = "dl_1", IdempotencyKey = "k1", ExternalChatId = "fromUser", Text = text };
}
