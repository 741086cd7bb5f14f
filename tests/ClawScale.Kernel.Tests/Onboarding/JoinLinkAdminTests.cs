using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClawScale.Kernel.Onboarding;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using OpenQA.Selenium;

namespace ClawScale.Kernel.Tests.Onboarding;

/// <summary>
/// Join link RPCs through the real host (tenant isolation, scopes, bad input) and the join page of the built-in web
/// chat and of a channel with an invite URL, with the web chat's own documented <c>POST /chat/{id}/messages</c>.
/// </summary>
public sealed class JoinLinkAdminTests(SqliteKernelFixture fixture) : IClassFixture<SqliteKernelFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [SkippableFact]
    public async Task Rpcs_are_tenant_isolated_refuse_runtime_keys_and_name_bad_fields()
    {
        var k = fixture.Host;
        var (a, aKey) = await k.CreateTenantAsync();
        var (b, bKey) = await k.CreateTenantAsync();
        var aAuth = KernelHost.Auth(aKey);
        var bChannel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "B chat" }, KernelHost.Auth(bKey))).Channel;
        var aChannel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "A chat" }, aAuth)).Channel;
        var bLink = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = bChannel.Id }, KernelHost.Auth(bKey));
        Assert.Equal("/join/" + bLink.Token, bLink.Url); // no PublicBaseUrl here: the path on the HTTP port
        Assert.Equal(b.Id, bLink.JoinLink.TenantId);

        // Another tenant's channel, link or tenant: NOT_FOUND, exactly like a missing one.
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = bChannel.Id }, aAuth).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = bLink.JoinLink.Id }, aAuth).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { TenantId = b.Id }, aAuth).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { TenantId = a.Id, ChannelId = bChannel.Id }, k.AdminAuth).ResponseAsync);
        var bCustomer = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            Identity = new ExternalIdentityKey { Provider = "email", IdentityType = "email", Value = "b@example.com" },
        }, KernelHost.Auth(bKey))).Customer;
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id, CustomerId = bCustomer.Id }, aAuth).ResponseAsync);
        Assert.Empty((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest(), aAuth)).JoinLinks);
        Assert.Single((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest(), KernelHost.Auth(bKey))).JoinLinks);

        // Runtime keys administer nothing.
        var agent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, aAuth)).Agent;
        var runtime = KernelHost.Auth((await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "rt", Scope = ApiKeyScope.Runtime, AgentIds = { agent.Id } }, aAuth)).Secret);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id }, runtime).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest(), runtime).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = bLink.JoinLink.Id }, runtime).ResponseAsync);

        // Bad input names the field and the rule.
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id, TtlSeconds = 10 }, aAuth).ResponseAsync, "ttl_seconds");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id, TtlSeconds = 91L * 24 * 3600 }, aAuth).ResponseAsync, "90 days");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id, MaxUses = -1 }, aAuth).ResponseAsync, "max_uses");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id, InviteUrl = "javascript:alert(1)" }, aAuth).ResponseAsync, "invite_url");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id, Label = new string('x', 201) }, aAuth).ResponseAsync, "label");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest(), aAuth).ResponseAsync, "channel_id");

        // Customer-owned and archived channels take no join links.
        var aCustomer = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            Identity = new ExternalIdentityKey { Provider = "email", IdentityType = "email", Value = "a@example.com" },
        }, aAuth)).Customer;
        var personal = (await k.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "webchat", DisplayName = "Personal", Ownership = ChannelOwnership.Customer, CustomerId = aCustomer.Id,
        }, aAuth)).Channel;
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = personal.Id }, aAuth).ResponseAsync, "shared");
        await k.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = aChannel.Id, Status = ChannelStatus.Archived }, aAuth);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = aChannel.Id }, aAuth).ResponseAsync, "archived");

        // Revoking twice is not an error; the list hides the revoked link unless asked.
        var first = (await k.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = bLink.JoinLink.Id }, KernelHost.Auth(bKey))).JoinLink;
        var second = (await k.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = bLink.JoinLink.Id }, KernelHost.Auth(bKey))).JoinLink;
        Assert.Equal(first.RevokeTime, second.RevokeTime);
        Assert.Empty((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest(), KernelHost.Auth(bKey))).JoinLinks);
        Assert.Equal(JoinLinkStatus.Revoked, Assert.Single((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { IncludeInactive = true }, KernelHost.Auth(bKey))).JoinLinks).Status);
        k.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Web_chat_page_links_to_the_chat_with_the_code_and_the_code_ties_the_visitor_to_a_customer_named_by_the_label()
    {
        var k = fixture.Host;
        var (tenant, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Acme <help>" }, auth)).Channel;
        var link = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = channel.Id, Label = "Grace Hopper" }, auth);

        using var page = await Http.GetAsync(new Uri(k.HttpAddress, link.Url));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"href=\"/chat/{channel.Id}?start={link.StartCode}\"", html, StringComparison.Ordinal);
        Assert.Contains("Acme &lt;help&gt;", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{link.StartCode}\"", html, StringComparison.Ordinal);

        // What the chat page sends when opened with ?start=<code> (see WebChatPage): "/start <code>", the code as client id.
        var visitor = "visitor-" + Guid.NewGuid().ToString("N");
        using (var posted = await Http.PostAsJsonAsync(new Uri(k.HttpAddress, $"/chat/{channel.Id}/messages"), new { visitorId = visitor, text = "/start " + link.StartCode, clientMessageId = link.StartCode }))
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await WaitUntil(async () => (await HistoryAsync(k, channel.Id, visitor)).Any(m => m.Text == JoinCodeRedeemer.WelcomeText), "the welcome");

        var resolved = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            Identity = new ExternalIdentityKey { Provider = "webchat", IdentityType = "visitor_id", Value = visitor },
        }, auth);
        Assert.False(resolved.Created);
        Assert.Equal("Grace Hopper", resolved.Customer.DisplayName);
        Assert.Equal(1, Assert.Single((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { ChannelId = channel.Id }, auth)).JoinLinks).UseCount);

        // The same page reloaded posts the same message again: deduplicated, no second use, one welcome.
        using (var again = await Http.PostAsJsonAsync(new Uri(k.HttpAddress, $"/chat/{channel.Id}/messages"), new { visitorId = visitor, text = "/start " + link.StartCode, clientMessageId = link.StartCode }))
            Assert.Contains("\"duplicate\":true", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { ChannelId = channel.Id }, auth)).JoinLinks).UseCount);
        k.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Page_of_a_channel_without_a_start_link_offers_the_invite_url_and_the_code_to_send()
    {
        var k = fixture.Host;
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var channel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "webhook", DisplayName = "Community", Config = { ["callback_url"] = KernelHost.UnreachablePlatformUrl + "/callback" },
        }, auth)).Channel;
        var link = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = channel.Id, InviteUrl = "https://discord.gg/abc123" }, auth);
        var plain = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = channel.Id }, auth);

        var html = await Http.GetStringAsync(new Uri(k.HttpAddress, link.Url));
        Assert.Contains("href=\"https://discord.gg/abc123\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{link.StartCode}\"", html, StringComparison.Ordinal);
        var plainHtml = await Http.GetStringAsync(new Uri(k.HttpAddress, plain.Url));
        Assert.DoesNotContain("href=", plainHtml, StringComparison.Ordinal);
        Assert.Contains($"value=\"{plain.StartCode}\"", plainHtml, StringComparison.Ordinal);
        k.AssertNoUnexpectedErrors();
    }

    /// <summary>
    /// The page in Debian's headless Chromium: the code field has its label, the first Tab lands on the open link, and
    /// Enter on it opens the web chat, which sends "/start &lt;code&gt;" by itself and shows the kernel's welcome.
    /// </summary>
    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task Join_page_is_labelled_and_its_link_works_from_the_keyboard_in_a_browser()
    {
        var k = fixture.Host;
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var channel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Acme help" }, auth)).Channel;
        var link = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = channel.Id, MaxUses = 1 }, auth);

        using var browser = ChatPage.Open(k.HttpAddress, channel.Id, waitForOnline: false);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(new Uri(k.HttpAddress, link.Url));
        var code = driver.FindElement(By.Id("code"));
        Assert.Equal(link.StartCode, code.GetDomProperty("value"));
        var label = driver.FindElement(By.CssSelector("label[for='code']"));
        Assert.Equal("Message to send", label.Text);
        Assert.Equal("Start chatting with Acme help", driver.FindElement(By.TagName("h1")).Text);

        driver.FindElement(By.TagName("body")).SendKeys(Keys.Tab);
        var focused = driver.SwitchTo().ActiveElement();
        Assert.Equal("open", focused.GetAttribute("id"));
        focused.SendKeys(Keys.Enter);

        browser.WaitUntil(_ => browser.Messages("system").Concat(browser.Messages("agent")).Contains(JoinCodeRedeemer.WelcomeText), TimeSpan.FromSeconds(20), "the welcome");
        Assert.DoesNotContain("start=", driver.Url, StringComparison.Ordinal); // the code is taken off the address bar
        Assert.Equal(1, Assert.Single((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { ChannelId = channel.Id, IncludeInactive = true }, auth)).JoinLinks).UseCount);
        k.AssertNoUnexpectedErrors();
    }

    private sealed record HistoryMessage(string Id, string Role, string Text);

    private static async Task<List<HistoryMessage>> HistoryAsync(KernelHost k, string channelId, string visitor) =>
        await Http.GetFromJsonAsync<List<HistoryMessage>>(new Uri(k.HttpAddress, $"/chat/{channelId}/history?visitorId={visitor}"), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(50);
        }
    }
}
