using ClawScale.Kernel.Channels.WebChat;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Kernel.Tests.Channels.WebChat;

public sealed class WebChatChannelFactoryTests
{
    private static readonly Dictionary<string, string> None = [];
    private readonly WebChatHub _hub = new(TimeProvider.System);

    private WebChatAdapter Create(Dictionary<string, string>? config = null) =>
        (WebChatAdapter)new WebChatChannelFactory(_hub).Create(new ChannelContext
        {
            ChannelId = "c1", TenantId = "t1", Config = config ?? None, WebhookSecret = "s", HttpClient = new HttpClient(), Logger = NullLogger.Instance,
        });

    [Fact]
    public void Kind_is_webchat_and_an_empty_config_is_valid_with_defaults()
    {
        var factory = new WebChatChannelFactory(_hub);
        Assert.Equal("webchat", factory.Kind);
        Assert.Empty(factory.Validate(None, None));
        var settings = Create().Settings;
        Assert.Equal("Chat", settings.Title);
        Assert.Null(settings.Welcome);
        Assert.Empty(settings.AllowedOrigins);
    }

    [Fact]
    public void Validate_lists_every_problem_naming_the_field()
    {
        var errors = new WebChatChannelFactory(_hub).Validate(
            new Dictionary<string, string>
            {
                ["title"] = new string('t', 201),
                ["welcome"] = new string('w', 2001),
                ["allowed_origins"] = "https://ok.example.com, ftp://files.example.com, https://x.example.com/path",
            },
            new Dictionary<string, string> { ["bot_token"] = "x" });
        Assert.Collection(errors,
            e => Assert.StartsWith("config.title must be 1 to 200 characters", e, StringComparison.Ordinal),
            e => Assert.StartsWith("config.welcome must be at most 2000 characters", e, StringComparison.Ordinal),
            e => Assert.Contains("'ftp://files.example.com' is not an origin", e, StringComparison.Ordinal),
            e => Assert.Contains("'https://x.example.com/path' is not an origin", e, StringComparison.Ordinal),
            e => Assert.StartsWith("credentials.bot_token is not used", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Allowed_origins_match_exactly_ignoring_case_and_a_trailing_slash_and_star_allows_all()
    {
        var settings = Create(new() { ["allowed_origins"] = "https://Shop.example.com/, http://localhost:3000" }).Settings;
        Assert.True(settings.AllowsOrigin("https://shop.example.com"));
        Assert.True(settings.AllowsOrigin("http://localhost:3000"));
        Assert.False(settings.AllowsOrigin("http://shop.example.com"));
        Assert.False(settings.AllowsOrigin("https://shop.example.com.evil.net"));
        Assert.True(Create(new() { ["allowed_origins"] = "*" }).Settings.AllowsOrigin("https://anyone.example"));
    }

    [Fact]
    public async Task The_adapter_refuses_webhooks_and_needs_no_listener_or_connection()
    {
        await using var adapter = Create();
        var result = await adapter.HandleWebhookAsync(new WebhookRequest { Method = "POST", Headers = new Dictionary<string, string>() }, CancellationToken.None);
        Assert.True(result.IsRejected);
        Assert.Equal(404, result.StatusCode);
        Assert.Equal("web chat channels receive messages at /chat/{id}/messages", result.Reason);
        Assert.False(adapter.UsesListener);
        await adapter.ConnectAsync(CancellationToken.None);
        await adapter.DisconnectAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Send_pushes_to_the_visitors_open_streams_and_is_delivered_even_with_none()
    {
        await using var adapter = Create();
        var offline = await adapter.SendAsync(Outbound("visitor-offline-0001", "d1"), CancellationToken.None);
        Assert.Equal(SendOutcome.Delivered, offline.Outcome);
        Assert.Equal("d1", offline.ProviderMessageId);

        using var first = _hub.TryConnect("c1", "visitor-online-00001")!;
        using var second = _hub.TryConnect("c1", "visitor-online-00001")!;
        using var otherChannel = _hub.TryConnect("c2", "visitor-online-00001")!;
        var sent = await adapter.SendAsync(Outbound("visitor-online-00001", "d2"), CancellationToken.None);
        Assert.Equal(SendOutcome.Delivered, sent.Outcome);
        foreach (var connection in new[] { first, second })
        {
            Assert.True(connection.Messages.TryRead(out var message));
            Assert.Equal(new WebChatMessage("d2", "agent", "hello", message.Time), message);
        }

        Assert.False(otherChannel.Messages.TryRead(out _));
    }

    [Fact]
    public void The_hub_limits_streams_per_visitor_and_forgets_closed_ones()
    {
        var connections = Enumerable.Range(0, WebChatHub.MaxConnectionsPerVisitor).Select(_ => _hub.TryConnect("c1", "v")!).ToList();
        Assert.All(connections, Assert.NotNull);
        Assert.Null(_hub.TryConnect("c1", "v"));
        Assert.NotNull(_hub.TryConnect("c1", "another-visitor"));
        connections[0].Dispose();
        Assert.Equal(WebChatHub.MaxConnectionsPerVisitor - 1, _hub.ConnectionCount("c1", "v"));
        connections.Add(_hub.TryConnect("c1", "v")!);
        Assert.NotNull(connections[^1]);
        foreach (var c in connections) c.Dispose();
        Assert.Equal(0, _hub.ConnectionCount("c1", "v"));
        Assert.Equal(0, _hub.Publish("c1", "v", "x", "nobody listens"));
    }

    private static OutboundMessage Outbound(string visitor, string deliveryId) =>
        new() { DeliveryId = deliveryId, IdempotencyKey = "k-" + deliveryId, ExternalChatId = visitor, Text = "hello" };
}
