using System.Net;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.WeCom.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// WeCom through the real kernel: the callback URL verification GET is answered with the decrypted echostr; the
/// official sample's encrypted text callback (Tencent's WXBizMsgCrypt sample, see
/// tests/ClawScale.Plugins.WeCom.Tests/Payloads/README.md) reaches the echo agent and the reply goes out with message/send
/// to a local fake of the WeCom API, once even when WeCom retries the callback; a forged signature stores nothing.
/// </summary>
public sealed class WeComPipelineTests
{
    private const string CorpId = "wx5823bf96d3bd56c7";
    private const string CorpSecret = "kernel-test-corp-secret";
    private const string OfficialQuery = "?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149";

    [Fact]
    public async Task The_url_is_verified_and_an_encrypted_callback_is_answered_once_even_when_wecom_retries()
    {
        await using var wecom = await FakeWxApi.StartAsync(CorpId, CorpSecret);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "wecom",
            DisplayName = "Corp app",
            Config = { ["corp_id"] = CorpId, ["agent_id"] = "218", ["api_base_url"] = wecom.ApiBaseUrl.ToString() },
            Credentials = { ["corp_secret"] = CorpSecret, ["token"] = "QDG6eK", ["encoding_aes_key"] = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C" },
        }, auth)).Channel;
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using (var verify = await http.GetAsync(new Uri(channel.WebhookPath + "?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            Assert.Matches("^[0-9]+$", await verify.Content.ReadAsStringAsync());
        }

        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "WeCom", "official_text_callback.xml"));
        using (var forged = await http.PostAsync(new Uri(channel.WebhookPath + OfficialQuery.Replace("f3e6", "f3e7", StringComparison.Ordinal), UriKind.Relative), new StringContent(body)))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync(new Uri(channel.WebhookPath + OfficialQuery, UriKind.Relative), new StringContent(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.TrueAsync(() => wecom.CallsTo("message/send").Count > 0, "message/send");
        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries.All(d => d.Status == DeliveryStatus.Delivered),
            "every delivery delivered");
        var send = Assert.Single(wecom.CallsTo("message/send"));
        Assert.Equal("mycreate", send.Field("touser"));
        Assert.Equal("218", send.Field("agentid"));
        Assert.Equal("echo: hello", send.Text);
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }
}
