using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace ClawScale.Kernel.Tests.Console;

/// <summary>The admin console in headless Chromium, through the real kernel (real Kestrel, real SQLite database).</summary>
public sealed class ConsoleBrowserTests
{
    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task Sign_in_works_with_the_keyboard_only_and_a_bad_key_gets_a_clear_error()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        using var browser = ConsoleBrowser.Start(kernel.HttpAddress);
        browser.Open("/console");
        Assert.Equal("Sign in", browser.Heading);
        ConsoleTestKit.AssertEveryInputLabelled(browser);

        TabTo(browser, "f-api_key");
        new Actions(browser.Driver).SendKeys("csk_not_a_real_key_0123456789").SendKeys(Keys.Enter).Perform();
        browser.WaitUntil(d => d.PageSource.Contains("not recognised", StringComparison.Ordinal), "the error of a bad key");
        Assert.Contains("This API key is not recognised or has been revoked", browser.Find("[role=alert]").Text, StringComparison.Ordinal);

        TabTo(browser, "f-api_key");
        new Actions(browser.Driver).SendKeys(kernel.AdminKey).SendKeys(Keys.Enter).Perform();
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Tenants", "the tenants page after sign-in");
        // The session cookie is HttpOnly: the page's scripts cannot read it.
        var visible = (string)((IJavaScriptExecutor)browser.Driver).ExecuteScript("return document.cookie;")!;
        Assert.DoesNotContain("clawscale_console=", visible, StringComparison.Ordinal);
        kernel.AssertNoUnexpectedErrors();
    }

    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task A_platform_admin_picks_a_tenant_creates_a_webhook_channel_from_the_generated_form_and_sees_its_status_and_webhook_url()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        using var browser = ConsoleBrowser.Start(kernel.HttpAddress);
        browser.SignIn(kernel.AdminKey);
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Tenants", "the tenants page");

        browser.Fill("f-slug", "acme");
        browser.Fill("f-display_name", "Acme Support");
        browser.Submit("/console/tenants");
        browser.WaitUntil(d => d.PageSource.Contains("Tenant Acme Support created.", StringComparison.Ordinal), "the created tenant");
        browser.Find("button[aria-label='Show tenant Acme Support']").Click();
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Channels", "the channels page of the picked tenant");
        Assert.Contains("Showing tenant Acme Support.", browser.Source, StringComparison.Ordinal);

        browser.Choose("f-kind", "webhook");
        browser.Submit("/console/channels/new");
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "New webhook channel", "the generated webhook form");
        ConsoleTestKit.AssertEveryInputLabelled(browser);
        // Fields declared by the webhook plugin's factory (ConfigFields).
        Assert.Equal("Callback URL *", browser.Find("label[for='f-config-callback_url']").Text);
        Assert.Equal("password", browser.Find("#f-cred-callback_secret").GetAttribute("type"));
        const string secret = "callback-secret-0123456789abcdef";
        browser.Fill("f-display_name", "Helpdesk bridge");
        browser.Fill("f-config-callback_url", KernelHost.UnreachablePlatformUrl + "/callback");
        browser.Fill("f-cred-callback_secret", secret);
        browser.Submit("/console/channels/new");
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Helpdesk bridge", "the new channel's page");

        var tenant = (await kernel.Admin.ListTenantsAsync(new ListTenantsRequest(), kernel.AdminAuth)).Tenants.Single(t => t.Slug == "acme");
        var channel = (await kernel.Admin.ListChannelsAsync(new ListChannelsRequest { TenantId = tenant.Id }, kernel.AdminAuth)).Channels.Single();
        Assert.Equal("webhook", channel.Kind);
        Assert.Equal(KernelHost.UnreachablePlatformUrl + "/callback", channel.Config["callback_url"]);
        Assert.Contains("callback_secret", channel.CredentialKeysSet);
        var webhookUrl = new Uri(kernel.HttpAddress, "/webhooks/" + channel.Id).ToString();
        Assert.Contains(webhookUrl, browser.Source, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, browser.Source, StringComparison.Ordinal);

        // The list shows the status the API reports, refreshed by the page itself.
        browser.Open("/console/channels");
        await Eventually.TrueAsync(async () =>
        {
            var status = (await kernel.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = channel.Id }, kernel.AdminAuth)).Channel.Status;
            browser.Open("/console/channels");
            return string.Equals(browser.Find("td[data-label='Status'] .badge").Text, status.ToString(), StringComparison.OrdinalIgnoreCase);
        }, "the channel list to show the channel's status");
        Assert.Contains(webhookUrl, browser.Find("td[data-label='Webhook URL']").Text, StringComparison.Ordinal);
        Assert.Equal("10", browser.Find("meta[http-equiv=refresh]").GetAttribute("content"));
        kernel.AssertNoUnexpectedErrors();
    }

    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task A_dead_letter_is_retried_from_the_deliveries_page()
    {
        await using var callback = await ConsoleTestKit.CallbackServer.StartAsync(failFirst: 1);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var channel = await ConsoleTestKit.EchoOverWebhookAsync(kernel, key, callback.Url);
        await ConsoleTestKit.SendInboundAsync(kernel, channel, "msg-1", "user-42", "where is my order?");
        ClawScale.Protos.V1.Delivery? dead = null;
        await Eventually.TrueAsync(async () =>
        {
            dead = (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { Status = DeliveryStatus.Dead }, auth)).Deliveries.SingleOrDefault();
            return dead is not null;
        }, "the dead letter (the callback answered 403, a permanent error)");

        using var browser = ConsoleBrowser.Start(kernel.HttpAddress);
        browser.SignIn(key);
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Channels", "the channels page of the tenant admin");
        browser.Open("/console/deliveries?status=dead");
        Assert.Contains("callback_url answered HTTP 403 Forbidden", browser.Find("td[data-label='Last error']").Text, StringComparison.Ordinal);
        browser.Find($"button[aria-label='Retry delivery {dead!.Id}']").Click();
        browser.WaitUntil(d => d.PageSource.Contains("Delivery queued again", StringComparison.Ordinal), "the retry confirmation");

        await Eventually.TrueAsync(async () =>
            (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries.Single().Status == DeliveryStatus.Delivered,
            "the retried delivery to be delivered");
        Assert.Equal(2, callback.Requests);
        browser.Open("/console/deliveries?status=delivered");
        Assert.Equal("delivered", browser.Find("td[data-label='Status'] .badge").Text);
        kernel.AssertNoUnexpectedErrors(m => m.Contains("is a dead letter", StringComparison.Ordinal));
    }

    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task An_api_key_created_in_the_console_is_shown_once_and_can_be_revoked()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (tenant, key) = await kernel.CreateTenantAsync();
        using var browser = ConsoleBrowser.Start(kernel.HttpAddress);
        browser.SignIn(key);
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Channels", "the channels page");
        browser.Open("/console/keys");
        ConsoleTestKit.AssertEveryInputLabelled(browser);
        browser.Fill("f-name", "ops laptop");
        browser.Choose("f-scope", "tenant-admin");
        browser.Submit("/console/keys");
        browser.WaitUntil(d => d.PageSource.Contains("Key ops laptop created", StringComparison.Ordinal), "the created key");
        var secret = browser.Find("#new-secret").Text;
        Assert.StartsWith("csk_", secret, StringComparison.Ordinal);
        var listed = await kernel.Admin.ListTenantsAsync(new ListTenantsRequest(), KernelHost.Auth(secret));
        Assert.Equal(tenant.Id, listed.Tenants.Single().Id);

        browser.Open("/console/keys");
        Assert.DoesNotContain(secret, browser.Source, StringComparison.Ordinal);
        browser.Find("button[aria-label='Revoke key ops laptop']").Click();
        browser.WaitUntil(d => d.PageSource.Contains("Key ops laptop revoked", StringComparison.Ordinal), "the revocation");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await kernel.Admin.ListTenantsAsync(new ListTenantsRequest(), KernelHost.Auth(secret)));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        kernel.AssertNoUnexpectedErrors();
    }

    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task A_join_link_created_in_the_console_shows_its_url_once_opens_the_join_page_and_can_be_revoked()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Website chat", Config = { ["title"] = "Acme help" } }, KernelHost.Auth(key))).Channel;
        using var browser = ConsoleBrowser.Start(kernel.HttpAddress);
        browser.SignIn(key);
        browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Channels", "the channels page");
        browser.Open("/console/join-links");
        Assert.Equal("Join links", browser.Heading);
        ConsoleTestKit.AssertEveryInputLabelled(browser);

        // A bad lifetime is refused on the form with its reason, and nothing is created.
        browser.Choose("f-channel_id", channel.Id);
        browser.Fill("f-label", "spring campaign");
        browser.Fill("f-ttl_days", "400");
        browser.Submit("/console/join-links");
        browser.WaitUntil(d => d.PageSource.Contains("from 1 to 90", StringComparison.Ordinal), "the lifetime error");
        Assert.Empty((await kernel.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { IncludeInactive = true }, KernelHost.Auth(key))).JoinLinks);

        browser.Choose("f-channel_id", channel.Id);
        browser.Fill("f-label", "spring campaign");
        browser.Fill("f-ttl_days", "3");
        browser.Fill("f-max_uses", "10");
        browser.Submit("/console/join-links");
        browser.WaitUntil(d => d.PageSource.Contains("Join link created", StringComparison.Ordinal), "the created link");
        var url = browser.Find("#new-join-url").Text;
        Assert.StartsWith("/join/", url, StringComparison.Ordinal);
        var code = browser.Find("#new-start-code").Text;
        Assert.StartsWith("join-", code, StringComparison.Ordinal);
        var link = Assert.Single((await kernel.Admin.ListJoinLinksAsync(new ListJoinLinksRequest(), KernelHost.Auth(key))).JoinLinks);
        Assert.Equal(("spring campaign", channel.Id, 10), (link.Label, link.ChannelId, link.MaxUses));
        Assert.InRange((link.ExpireTime.ToDateTime() - link.CreateTime.ToDateTime()).TotalHours, 71.9, 72.1);

        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(url, UriKind.Relative))).StatusCode);
        // The list never shows the URL or code again.
        browser.Open("/console/join-links");
        Assert.DoesNotContain(url, browser.Source, StringComparison.Ordinal);
        Assert.DoesNotContain(code, browser.Source, StringComparison.Ordinal);

        browser.Find("button[aria-label='Revoke join link spring campaign']").Click();
        browser.WaitUntil(d => d.PageSource.Contains("revoked: its page answers 410", StringComparison.Ordinal), "the revocation");
        Assert.Equal(System.Net.HttpStatusCode.Gone, (await http.GetAsync(new Uri(url, UriKind.Relative))).StatusCode);
        kernel.AssertNoUnexpectedErrors();
    }

    private static void TabTo(ConsoleBrowser browser, string id)
    {
        for (var i = 0; i < 6; i++)
        {
            if (browser.Driver.SwitchTo().ActiveElement().GetAttribute("id") == id) return;
            new Actions(browser.Driver).SendKeys(Keys.Tab).Perform();
        }

        Assert.Fail($"#{id} was not reached with the Tab key");
    }
}
