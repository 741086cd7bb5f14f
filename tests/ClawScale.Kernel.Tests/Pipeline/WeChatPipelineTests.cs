using System.Net;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.WeCom.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// A WeChat Official Account through the real kernel: server URL verification; the documented text push (plain mode,
/// "接收普通消息", tests/ClawScale.Plugins.WeChat.Tests/Payloads/README.md) and the official safe-mode sample reach the echo
/// agent, are answered "success", and the replies go out once each as customer-service messages to a local fake API;
/// a bad signature stores nothing.
/// </summary>
public sealed class WeChatPipelineTests
{
    private const string Token = "spamtest";
    private const string AppId = "wx2c2769f8efd9abc2";
    private const string AppSecret = "kernel-test-app-secret";

    [Fact]
    public async Task Plain_mode_pushes_are_answered_success_and_replied_to_once_even_when_wechat_retries()
    {
        await using var wechat = await FakeWxApi.StartAsync(AppId, AppSecret);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, wechat, safe: false);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using (var verify = await http.GetAsync(new Uri($"{channel.WebhookPath}?signature={Sha1("1409735669", "1320562132", Token)}&timestamp=1409735669&nonce=1320562132&echostr=5837397144925392734", UriKind.Relative)))
            Assert.Equal("5837397144925392734", await verify.Content.ReadAsStringAsync());

        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "WeChat", "text_message.xml"));
        var query = $"?signature={Sha1("1700000000", "9", Token)}&timestamp=1700000000&nonce=9&openid=fromUser";
        var forgedQuery = query.Replace("nonce=9", "nonce=8", StringComparison.Ordinal);
        using (var forged = await http.PostAsync(new Uri(channel.WebhookPath + forgedQuery, UriKind.Relative), new StringContent(body)))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync(new Uri(channel.WebhookPath + query, UriKind.Relative), new StringContent(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("success", await response.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(() => wechat.CallsTo("message/custom/send").Count > 0, "message/custom/send");
        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries.All(d => d.Status == DeliveryStatus.Delivered),
            "every delivery delivered");
        var send = Assert.Single(wechat.CallsTo("message/custom/send"));
        Assert.Equal("fromUser", send.Field("touser"));
        Assert.Equal("echo: this is a test", send.Text);
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task The_official_safe_mode_sample_is_decrypted_and_answered()
    {
        await using var wechat = await FakeWxApi.StartAsync(AppId, AppSecret);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, wechat, safe: true);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "WeChat", "compatible_mode_sample.xml"));
        var query = $"?signature={Sha1("1409735669", "1320562132", Token)}&timestamp=1409735669&nonce=1320562132&openid=oyORnuP8q7ou2gfYjqLzSIWZf0rs&encrypt_type=aes&msg_signature=5d197aaffba7e9b25a30732f161a50dee96bd5fa";

        using (var response = await http.PostAsync(new Uri(channel.WebhookPath + query, UriKind.Relative), new StringContent(body)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.TrueAsync(() => wechat.CallsTo("message/custom/send").Count > 0, "message/custom/send");
        var send = Assert.Single(wechat.CallsTo("message/custom/send"));
        Assert.Equal("oyORnuP8q7ou2gfYjqLzSIWZf0rs", send.Field("touser"));
        Assert.StartsWith("echo: ", send.Text);
        kernel.AssertNoUnexpectedErrors();
    }

    private static async Task<(global::Grpc.Core.Metadata Auth, Channel Channel)> SetUpAsync(KernelHost kernel, FakeWxApi wechat, bool safe)
    {
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var request = new CreateChannelRequest
        {
            Kind = "wechat",
            DisplayName = "Official Account",
            Config = { ["app_id"] = AppId, ["api_base_url"] = wechat.ApiBaseUrl.ToString() },
            Credentials = { ["app_secret"] = AppSecret, ["token"] = Token },
        };
        if (safe)
            request.Credentials["encoding_aes_key"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        return (auth, (await kernel.Admin.CreateChannelAsync(request, auth)).Channel);
    }

    /// <summary>The platform's signature: SHA1 of the sorted parts (computed here, independently of the plugin).</summary>
    private static string Sha1(params string[] parts)
    {
        Array.Sort(parts, StringComparer.Ordinal);
#pragma warning disable CA5350 // the platform's signature algorithm
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
#pragma warning restore CA5350
    }
}
