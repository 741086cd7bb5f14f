using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Channels.WebChat;

/// <summary>
/// The README's demo, in a real browser against the real pipeline: demo mode seeds a web chat channel bound to the
/// echo plugin; a visitor's message goes through ACCEPT, DISPATCH (the echo agent loaded from plugins.json) and DELIVER
/// (the web chat adapter's live stream) back to the page. Nothing is faked.
/// </summary>
public sealed class WebChatEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [ToolFact("CHROMIUM", "chromedriver")]
    public async Task A_visitor_chats_with_the_echo_agent_through_the_whole_pipeline()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?> { ["ClawScale:Demo"] = "true" });
        var demo = (await kernel.Admin.ListTenantsAsync(new ListTenantsRequest(), kernel.AdminAuth)).Tenants.Single(t => t.Slug == "demo");
        var channel = (await kernel.Admin.ListChannelsAsync(new ListChannelsRequest { TenantId = demo.Id, Kind = "webchat" }, kernel.AdminAuth)).Channels.Single();

        using (var page = ChatPage.Open(kernel.HttpAddress, channel.Id))
        {
            page.Send("Hello from a real browser");
            page.WaitForAgentMessage("echo: Hello from a real browser", Bound);
            page.Send("/help");
            page.WaitUntil(d => page.Messages("system").Any(m => m.Contains("/new", StringComparison.Ordinal)) || page.Messages("agent").Any(m => m.Contains("/new", StringComparison.Ordinal)), Bound, "the /help answer");
        }

        // The conversation is stored and every delivery was delivered exactly once.
        var deliveries = await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = demo.Id }, kernel.AdminAuth);
        Assert.Equal(2, deliveries.Deliveries.Count);
        Assert.All(deliveries.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.All(deliveries.Deliveries, d => Assert.Equal(1, d.Attempts));
        kernel.AssertNoUnexpectedErrors();
    }
}
