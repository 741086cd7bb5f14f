using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using OpenQA.Selenium;

namespace ClawScale.Kernel.Tests.Console;

/// <summary>
/// Opens every console page with data at desktop (1280×800) and phone (390×844) widths, checks each answers with its
/// heading and labels every input, and saves a full-page PNG of each. The PNGs go to a temp folder, or to the folder in
/// CLAWSCALE_CONSOLE_SCREENSHOTS (docs/console/ holds the committed ones) for a person to look at.
/// </summary>
public sealed class ConsoleScreenshotTests
{
    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task Every_page_renders_with_labels_at_desktop_and_phone_width()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var tenant = (await kernel.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = "acme", DisplayName = "Acme Support" }, kernel.AdminAuth)).Tenant;
        var key = (await kernel.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "acme admin", Scope = ApiKeyScope.TenantAdmin }, kernel.AdminAuth)).Secret;
        await using var callback = await ConsoleTestKit.CallbackServer.StartAsync(failFirst: 1);
        var channel = await ConsoleTestKit.EchoOverWebhookAsync(kernel, key, callback.Url, "Helpdesk bridge");
        var web = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Website chat", Config = { ["title"] = "Acme help" } }, KernelHost.Auth(key))).Channel;
        await ConsoleTestKit.SendInboundAsync(kernel, channel, "msg-1", "user-42", "Where is my order #1234?");
        await Eventually.TrueAsync(async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { Status = DeliveryStatus.Dead }, KernelHost.Auth(key))).Deliveries.Count == 1, "a dead letter");
        await ConsoleTestKit.SendInboundAsync(kernel, channel, "msg-2", "user-42", "Thanks!");
        await Eventually.TrueAsync(async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { Status = DeliveryStatus.Delivered }, KernelHost.Auth(key))).Deliveries.Count == 1, "a delivered reply");
        var customer = (await kernel.Admin.ListCustomersAsync(new ListCustomersRequest(), KernelHost.Auth(key))).Customers.Single();
        var conversation = (await kernel.Routing.ListConversationsAsync(new ListConversationsRequest(), KernelHost.Auth(key))).Conversations.Single();
        var agent = (await kernel.Admin.ListAgentsAsync(new ListAgentsRequest(), KernelHost.Auth(key))).Agents.Single();
        await kernel.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = web.Id, Label = "spring campaign", MaxUses = 100 }, KernelHost.Auth(key));

        var folder = Environment.GetEnvironmentVariable("CLAWSCALE_CONSOLE_SCREENSHOTS") is { Length: > 0 } configured
            ? Directory.CreateDirectory(configured).FullName
            : Directory.CreateTempSubdirectory("clawscale-console-shots-").FullName;
        var pages = new (string Name, string Path, string Heading)[]
        {
            ("tenants", "/console/tenants", "Tenants"),
            ("channels", "/console/channels", "Channels"),
            ("channel", "/console/channels/" + channel.Id, "Helpdesk bridge"),
            ("channel-webchat", "/console/channels/" + web.Id, "Website chat"),
            ("channel-new-telegram", "/console/channels/new?kind=telegram", "New telegram channel"),
            ("agents", "/console/agents?kind=openai", "Agents"),
            ("agent", "/console/agents/" + agent.Id, "echo"),
            ("bindings", "/console/bindings", "Agent bindings"),
            ("customers", "/console/customers", "Customers"),
            ("customer", "/console/customers/" + customer.Id, customer.DisplayName.Length == 0 ? "Customer" : customer.DisplayName),
            ("conversations", "/console/conversations", "Conversations"),
            ("conversation", "/console/conversations/" + conversation.Id, "Conversation"),
            ("deliveries", "/console/deliveries", "Deliveries"),
            ("turns", "/console/turns", "Turns"),
            ("join-links", "/console/join-links", "Join links"),
            ("keys", "/console/keys", "API keys"),
            ("plugins", "/console/plugins", "Plugins"),
        };
        foreach (var (width, height, suffix) in new[] { (1280, 800, "desktop"), (390, 844, "phone") })
        {
            using var browser = ConsoleBrowser.Start(kernel.HttpAddress, width, height);
            browser.Open("/console/signin");
            browser.Screenshot(Path.Combine(folder, $"signin-{suffix}.png"));
            browser.SignIn(kernel.AdminKey);
            browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Tenants", "the tenants page");
            browser.Find("button[aria-label='Show tenant Acme Support']").Click();
            browser.WaitUntil(d => d.FindElement(By.TagName("h1")).Text == "Channels", "the channels page");
            foreach (var (name, path, heading) in pages)
            {
                browser.Open(path);
                Assert.True(browser.Heading == heading, $"{path} shows '{browser.Heading}', expected '{heading}'");
                ConsoleTestKit.AssertEveryInputLabelled(browser);
                browser.Screenshot(Path.Combine(folder, $"{name}-{suffix}.png"));
            }
        }

        Assert.Equal(2 * (pages.Length + 1), Directory.GetFiles(folder, "*.png").Length);
        kernel.AssertNoUnexpectedErrors(m => m.Contains("is a dead letter", StringComparison.Ordinal));
    }
}
