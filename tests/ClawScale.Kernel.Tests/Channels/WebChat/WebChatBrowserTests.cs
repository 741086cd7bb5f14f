using ClawScale.Kernel.Tests.Infrastructure;

namespace ClawScale.Kernel.Tests.Channels.WebChat;

/// <summary>The chat page in a real browser (Debian's headless Chromium through chromedriver).</summary>
public sealed class WebChatBrowserTests(WebChatKernel kernel) : IClassFixture<WebChatKernel>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [ToolFact("CHROMIUM", "chromedriver")]
    public void A_visitor_types_a_message_clicks_send_and_sees_the_agents_reply()
    {
        using var page = ChatPage.Open(kernel.Host.HttpAddress, WebChatKernel.ChannelId);
        Assert.Equal("Ask <Acme> & co", page.Title);
        Assert.Equal(["Hi! How can we help?"], page.Messages("agent"));

        page.Send("Where is my parcel?");
        page.WaitForAgentMessage("echo: Where is my parcel?", Bound);
        Assert.Equal(["Where is my parcel?"], page.Messages("user"));

        var shots = Environment.GetEnvironmentVariable("CLAWSCALE_WEBCHAT_SCREENSHOT");
        if (!string.IsNullOrEmpty(shots)) page.SaveScreenshot(shots);

        var (_, message) = Assert.Single(kernel.Acceptor.Accepted, a => a.Message.Text == "Where is my parcel?");
        Assert.Matches("^[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{22}$", message.ProviderMessageId);
        kernel.Host.AssertNoUnexpectedErrors();
    }
}
