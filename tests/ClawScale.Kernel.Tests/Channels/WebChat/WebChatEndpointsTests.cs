using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ClawScale.Kernel.Channels.WebChat;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Channels.WebChat;

/// <summary>The web chat routes over real HTTP on a real kernel, with a fake registry and an echoing ACCEPT stage.</summary>
public sealed class WebChatEndpointsTests(WebChatKernel kernel) : IClassFixture<WebChatKernel>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private HttpClient Http => kernel.Http;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostAsync(string channelId, object body) => Http.PostAsync($"/chat/{channelId}/messages", Json(body));

    [Fact]
    public async Task The_page_is_self_contained_html_with_the_channel_title_encoded()
    {
        using var response = await Http.GetAsync($"/chat/{WebChatKernel.ChannelId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Ask &lt;Acme&gt; &amp; co</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Acme>", html, StringComparison.Ordinal);
        Assert.Contains("Hi! How can we help?", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"input\"", html, StringComparison.Ordinal);
        Assert.Contains("localStorage", html, StringComparison.Ordinal);
        Assert.Contains("EventSource", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WebChatKernel.ArchivedChannelId, "archived")]
    [InlineData(WebChatKernel.TelegramChannelId, "not a web chat channel")]
    [InlineData("no-such-channel", "not found")]
    public async Task Unavailable_channels_answer_404_on_every_route(string channelId, string reason)
    {
        using var page = await Http.GetAsync($"/chat/{channelId}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Chat not found", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var post = await PostAsync(channelId, new { visitorId = WebChatKernel.NewVisitorId(), text = "hi", clientMessageId = "1" });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Contains(reason, await ErrorAsync(post), StringComparison.Ordinal);

        using var history = await Http.GetAsync($"/chat/{channelId}/history?visitorId={WebChatKernel.NewVisitorId()}");
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
        using var events = await Http.GetAsync($"/chat/{channelId}/events?visitorId={WebChatKernel.NewVisitorId()}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
    }

    [Fact]
    public async Task A_posted_message_becomes_a_canonical_inbound_message_deduplicated_on_visitor_and_client_id()
    {
        var visitor = WebChatKernel.NewVisitorId();
        var before = DateTimeOffset.UtcNow;
        using var first = await PostAsync(WebChatKernel.ChannelId, new { visitorId = visitor, text = "Where is my order?", clientMessageId = "m-1" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("""{"accepted":true,"duplicate":false}""", await first.Content.ReadAsStringAsync());

        var (channel, message) = Assert.Single(kernel.Acceptor.Accepted, a => a.Message.ExternalChatId == visitor);
        Assert.Equal(WebChatKernel.ChannelId, channel.ChannelId);
        Assert.Equal("webchat", channel.Kind);
        Assert.Equal(visitor + ":m-1", message.ProviderMessageId);
        Assert.Equal(visitor, message.ExternalChatId);
        Assert.Null(message.ExternalThreadId);
        Assert.Equal(new ExternalUser { Provider = "webchat", IdentityType = "visitor_id", Value = visitor }, message.Sender);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("Where is my order?", message.Text);
        Assert.InRange(message.SentAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        using var again = await PostAsync(WebChatKernel.ChannelId, new { visitorId = visitor, text = "Where is my order?", clientMessageId = "m-1" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("""{"accepted":true,"duplicate":true}""", await again.Content.ReadAsStringAsync());
        Assert.Single(kernel.Acceptor.Accepted, a => a.Message.ExternalChatId == visitor);
        kernel.Host.AssertNoUnexpectedErrors();
    }

    public static TheoryData<string, string> BadBodies()
    {
        var visitor = WebChatKernel.NewVisitorId();
        return new()
        {
            { "{not json", "not valid JSON" },
            { "[1,2]", "must be a JSON object" },
            { "", "not valid JSON" },
            { $$"""{"text":"hi","clientMessageId":"1"}""", "visitorId is required" },
            { $$"""{"visitorId":"short","text":"hi","clientMessageId":"1"}""", "visitorId must be 16 to 64 characters" },
            { $$"""{"visitorId":"{{new string('a', 65)}}","text":"hi","clientMessageId":"1"}""", "visitorId must be 16 to 64 characters" },
            { $$"""{"visitorId":"abcdefgh/ijklmnop","text":"hi","clientMessageId":"1"}""", "visitorId must be 16 to 64 characters" },
            { $$"""{"visitorId":42,"text":"hi","clientMessageId":"1"}""", "visitorId must be a string" },
            { $$"""{"visitorId":"{{visitor}}","clientMessageId":"1"}""", "text is required" },
            { $$"""{"visitorId":"{{visitor}}","text":"","clientMessageId":"1"}""", "text must be 1 to 4000 characters" },
            { $$"""{"visitorId":"{{visitor}}","text":"   ","clientMessageId":"1"}""", "text must be 1 to 4000 characters" },
            { $$"""{"visitorId":"{{visitor}}","text":"{{new string('x', 4001)}}","clientMessageId":"1"}""", "text must be 1 to 4000 characters" },
            { $$"""{"visitorId":"{{visitor}}","text":"hi"}""", "clientMessageId is required" },
            { $$"""{"visitorId":"{{visitor}}","text":"hi","clientMessageId":""}""", "clientMessageId must be 1 to 64 characters" },
            { $$"""{"visitorId":"{{visitor}}","text":"hi","clientMessageId":"{{new string('c', 65)}}"}""", "clientMessageId must be 1 to 64 characters" },
            { """{}""", "visitorId is required; text is required; clientMessageId is required" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_posts_answer_400_saying_what_was_wrong(string body, string expected)
    {
        var count = kernel.Acceptor.Accepted.Count;
        using var response = await Http.PostAsync($"/chat/{WebChatKernel.ChannelId}/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await ErrorAsync(response), StringComparison.Ordinal);
        Assert.Equal(count, kernel.Acceptor.Accepted.Count);
    }

    [Fact]
    public async Task Text_of_exactly_4000_characters_and_ids_at_their_limits_are_accepted()
    {
        var visitor = new string('v', 64);
        using var response = await PostAsync(WebChatKernel.ChannelId, new { visitorId = visitor, text = new string('x', 4000), clientMessageId = new string('c', 64) });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Bodies_over_16_KiB_answer_413_with_or_without_a_content_length()
    {
        var visitor = WebChatKernel.NewVisitorId();
        var big = $$"""{"visitorId":"{{visitor}}","text":"{{new string('x', 17 * 1024)}}","clientMessageId":"1"}""";
        using var withLength = await Http.PostAsync($"/chat/{WebChatKernel.ChannelId}/messages", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withLength.StatusCode);
        Assert.Contains("16384 bytes", await ErrorAsync(withLength), StringComparison.Ordinal);

        var chunked = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/chat/{WebChatKernel.ChannelId}/messages") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var withoutLength = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withoutLength.StatusCode);
        Assert.DoesNotContain(kernel.Acceptor.Accepted, a => a.Message.ExternalChatId == visitor);
    }

    [Fact]
    public async Task The_event_stream_carries_the_agents_reply_to_that_visitor_only()
    {
        var visitor = WebChatKernel.NewVisitorId();
        var other = WebChatKernel.NewVisitorId();
        using var cts = new CancellationTokenSource(Bound);
        await using var stream = await EventStream.OpenAsync(Http, WebChatKernel.ChannelId, visitor, cts.Token);
        await using var otherStream = await EventStream.OpenAsync(Http, WebChatKernel.ChannelId, other, cts.Token);
        Assert.Equal("text/event-stream", stream.ContentType);

        using var post = await PostAsync(WebChatKernel.ChannelId, new { visitorId = visitor, text = "ping", clientMessageId = "e-1" });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        var (eventName, id, data) = await stream.ReadEventAsync(cts.Token);
        Assert.Equal("message", eventName);
        using var json = JsonDocument.Parse(data);
        Assert.Equal("agent", json.RootElement.GetProperty("role").GetString());
        Assert.Equal("echo: ping", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(id, json.RootElement.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(id));
        Assert.True(json.RootElement.GetProperty("time").TryGetDateTimeOffset(out _));

        // The other visitor's stream gets nothing: its next event is its own reply.
        using var otherPost = await PostAsync(WebChatKernel.ChannelId, new { visitorId = other, text = "pong", clientMessageId = "e-2" });
        var (_, _, otherData) = await otherStream.ReadEventAsync(cts.Token);
        Assert.Contains("echo: pong", otherData, StringComparison.Ordinal);
        kernel.Host.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_visitor_may_hold_five_streams_and_a_closed_one_frees_its_place()
    {
        var visitor = WebChatKernel.NewVisitorId();
        using var cts = new CancellationTokenSource(Bound);
        var streams = new List<EventStream>();
        try
        {
            for (var i = 0; i < WebChatHub.MaxConnectionsPerVisitor; i++) streams.Add(await EventStream.OpenAsync(Http, WebChatKernel.ChannelId, visitor, cts.Token));
            using (var sixth = await Http.GetAsync($"/chat/{WebChatKernel.ChannelId}/events?visitorId={visitor}", HttpCompletionOption.ResponseHeadersRead, cts.Token))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
                Assert.Contains("at most 5", await ErrorAsync(sixth), StringComparison.Ordinal);
            }

            var hub = kernel.Host.App.Services.GetRequiredService<WebChatHub>();
            await streams[0].DisposeAsync();
            streams.RemoveAt(0);
            while (hub.ConnectionCount(WebChatKernel.ChannelId, visitor) >= WebChatHub.MaxConnectionsPerVisitor)
                await Task.Delay(20, cts.Token);
            streams.Add(await EventStream.OpenAsync(Http, WebChatKernel.ChannelId, visitor, cts.Token));
        }
        finally
        {
            foreach (var s in streams) await s.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("events")]
    [InlineData("history")]
    public async Task Stream_and_history_need_a_well_formed_visitor_id(string route)
    {
        using var missing = await Http.GetAsync($"/chat/{WebChatKernel.ChannelId}/{route}");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var bad = await Http.GetAsync($"/chat/{WebChatKernel.ChannelId}/{route}?visitorId=../../etc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("visitorId must be 16 to 64 characters", await ErrorAsync(bad), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_origin_calls_are_allowed_only_for_the_channels_allowed_origins()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/chat/{WebChatKernel.CorsChannelId}/messages");
        preflight.Headers.Add("Origin", WebChatKernel.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var allowed = await Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(WebChatKernel.AllowedOrigin, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);

        using var post = new HttpRequestMessage(HttpMethod.Post, $"/chat/{WebChatKernel.CorsChannelId}/messages")
        {
            Content = Json(new { visitorId = WebChatKernel.NewVisitorId(), text = "from the shop", clientMessageId = "c-1" }),
        };
        post.Headers.Add("Origin", WebChatKernel.AllowedOrigin);
        using var posted = await Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(WebChatKernel.AllowedOrigin, Assert.Single(posted.Headers.GetValues("Access-Control-Allow-Origin")));

        foreach (var (channel, origin) in new[] { (WebChatKernel.CorsChannelId, "https://evil.example.net"), (WebChatKernel.ChannelId, WebChatKernel.AllowedOrigin) })
        {
            using var other = new HttpRequestMessage(HttpMethod.Options, $"/chat/{channel}/messages");
            other.Headers.Add("Origin", origin);
            using var refused = await Http.SendAsync(other);
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"), $"{origin} must not be allowed on {channel}");
        }
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>A stream without a known length, so HttpClient sends the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
